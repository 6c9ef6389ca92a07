/** Small pieces the bundled email templates share. */

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The unsubscribe line every marketing email ends with, when the worker has signed links. */
export function footer(data: Readonly<Record<string, unknown>>): { text: string; html: string } {
  const url = text(data.unsubscribeUrl);
  return url
    ? {
        text: `\n--\nUnsubscribe: ${url}\n`,
        html: `<p style="font-size:12px"><a href="${escapeHtml(url)}">Unsubscribe</a></p>`,
      }
    : { text: '', html: '' };
}
