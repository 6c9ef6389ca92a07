/**
 * The email templates a journey may name, typed. Empty by default: `send.email` takes any name and data.
 * An app that declares its templates (README, "Email templates") makes a misspelt name or data that does
 * not fit its template a compile error:
 *
 * @example
 * ```ts
 * declare module 'temporal-journeys/workflow' {
 *   interface JourneyTemplates extends TemplatesOf<typeof templates> {}
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JourneyTemplates {}

/** The templates every worker has (`confirm-subscription` for double opt-in), typed once templates are declared. */
export interface BuiltInTemplates {
  readonly 'confirm-subscription': { readonly name?: string; readonly [more: string]: unknown };
}

type Declared = [keyof JourneyTemplates] extends [never] ? false : true;

/** A name `send.email` takes: any string until templates are declared, then theirs and the built-in ones. */
export type TemplateName = Declared extends true
  ? // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- empty until an app declares templates
    Extract<keyof JourneyTemplates | keyof BuiltInTemplates, string>
  : string;

/** The data a template takes. */
export type TemplateData<TName> = Declared extends false
  ? Readonly<Record<string, unknown>>
  : TName extends keyof JourneyTemplates
    ? JourneyTemplates[TName]
    : TName extends keyof BuiltInTemplates
      ? BuiltInTemplates[TName]
      : Record<string, unknown>;
