/**
 * Email templates as data: their types and `defineTemplate`. Pure (no rendering library, no Node), so the
 * package's root entry, which workflow code imports, carries it.
 */
/** An email rendered from typed data: what a template function returns. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * An email whose body is a React Email element (`<Html>…</Html>`), rendered to HTML and text with
 * `@react-email/render`, which the app installs (`npm i @react-email/render react react-dom`).
 */
export interface ReactEmail {
  readonly subject: string;
  readonly react: unknown;
}

/** A template: a plain function of its data (sync or async). */
export type EmailTemplate = (
  data: Readonly<Record<string, unknown>>,
) => RenderedEmail | ReactEmail | Promise<RenderedEmail | ReactEmail>;

/** Templates by name, as `send.email(name, data)` refers to them. */
export type EmailTemplates = Readonly<Record<string, EmailTemplate>>;

/** What every template's data carries besides the journey's: the signed links, when the worker has them. */
export interface TemplateLinks {
  readonly unsubscribeUrl?: string;
  readonly confirmUrl?: string;
}

/** A schema the template's data is checked against before rendering: zod's, or anything with `safeParse`. */
export interface TemplateSchema<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly TemplateIssue[] } };
}

interface TemplateIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A named, typed email template: see {@link defineTemplate}. */
export interface TemplateDefinition<TName extends string = string, TData = Record<string, unknown>> {
  readonly name: TName;
  readonly schema: TemplateSchema<TData>;
  readonly render: (
    data: TData & TemplateLinks,
  ) => RenderedEmail | ReactEmail | Promise<RenderedEmail | ReactEmail>;
}

/** Any template definition, whatever its data (the data is checked where the definition is made). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- both in and out positions: only `any` fits every data type
export type AnyTemplateDefinition = TemplateDefinition<string, any>;

/** The data a template definition takes (what `send.email(name, data)` must pass). */
export type TemplateDataOf<T> = T extends TemplateDefinition<string, infer D> ? D : never;

/**
 * The templates of a list, by name, for typing `send.email` (README, "Email templates"):
 * `interface JourneyTemplates extends TemplatesOf<typeof templates> {}` in `temporal-journeys/workflow`.
 */
export type TemplatesOf<T extends readonly AnyTemplateDefinition[]> = {
  [D in T[number] as D['name']]: TemplateDataOf<D>;
};

/**
 * Defines an email template: its name (what `send.email` names), the schema of its data (checked before
 * rendering: data that does not fit fails the send with `template_failed`, naming the field) and how it
 * renders, to `{ subject, html, text }` or to `{ subject, react }` with a React Email element.
 *
 * @example
 * ```ts
 * export const trialEnding = defineTemplate('trial-ending', z.object({ name: z.string(), endsOn: z.string() }),
 *   ({ name, endsOn }) => ({ subject: `Your trial ends on ${endsOn}`, text: `Hi ${name}…`, html: `<p>Hi ${name}…</p>` }));
 * ```
 */
export function defineTemplate<TName extends string, TData>(
  name: TName,
  schema: TemplateSchema<TData>,
  render: (data: TData & TemplateLinks) => RenderedEmail | ReactEmail | Promise<RenderedEmail | ReactEmail>,
): TemplateDefinition<TName, TData> {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError('defineTemplate: the name must be a non-empty string');
  if (typeof schema?.safeParse !== 'function')
    throw new TypeError(`defineTemplate("${name}"): the schema must have safeParse (a zod schema)`);
  if (typeof render !== 'function')
    throw new TypeError(`defineTemplate("${name}"): render must be a function`);
  return { name, schema, render };
}

/** Templates as a worker takes them: a list of definitions, or plain functions by name. */
export type TemplatesInput = readonly AnyTemplateDefinition[] | EmailTemplates;

/** A list of template definitions as functions by name; a name given twice is refused. */
export function templatesByName(input: TemplatesInput | undefined): EmailTemplates {
  if (input === undefined) return {};
  if (!Array.isArray(input)) return input as EmailTemplates;
  const byName: Record<string, EmailTemplate> = {};
  for (const definition of input as readonly TemplateDefinition<string, unknown>[]) {
    if (Object.hasOwn(byName, definition.name))
      throw new TypeError(`Two email templates are named "${definition.name}"`);
    byName[definition.name] = (data) => {
      const parsed = definition.schema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.map(String).join('.') : 'data';
        throw new TypeError(`${where}: ${issue?.message ?? 'does not fit the template'}`);
      }
      const links = data as TemplateLinks;
      return definition.render({
        ...(parsed.data as object),
        unsubscribeUrl: links.unsubscribeUrl,
        confirmUrl: links.confirmUrl,
      });
    };
  }
  return byName;
}
