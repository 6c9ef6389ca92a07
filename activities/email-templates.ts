/** An email rendered from typed data: what a template function returns. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** A template: a plain function of its data. */
export type EmailTemplate = (data: Readonly<Record<string, unknown>>) => RenderedEmail;

/** Templates by name, as `send.email(name, data)` refers to them. */
export type EmailTemplates = Readonly<Record<string, EmailTemplate>>;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The templates the bundled journeys use. A worker merges its own over these. */
export const defaultEmailTemplates: EmailTemplates = {
  'cart-reminder': (data) => {
    const items = list(data.items);
    const url = typeof data.url === 'string' ? data.url : undefined;
    const lines = items.map((i) => `- ${i}`).join('\n');
    return {
      subject:
        items.length === 1
          ? `You left ${items[0]} in your cart`
          : `You left ${items.length} items in your cart`,
      text: `Still thinking it over?\n\n${lines}\n${url ? `\nFinish your order: ${url}\n` : ''}`,
      html:
        `<p>Still thinking it over?</p><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` +
        (url ? `<p><a href="${escapeHtml(url)}">Finish your order</a></p>` : ''),
    };
  },
};
