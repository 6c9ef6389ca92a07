import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  defaultEmailTemplates,
  renderEmail,
  templatesByName,
  type AnyTemplateDefinition,
  type EmailTemplates,
} from '../../activities/email-templates';
import { hasModule } from './journeys-module';
import { resolveModule } from '../worker/bundle';
import { parseFlags } from './args';
import { registerTypeScript } from './typescript-hook';

const USAGE =
  'journeys preview <template> [--data FILE.json] [--templates PATH] [--out DIR]  (default --templates ./templates)';

/** The app's templates: every `defineTemplate` definition a module exports, alone or in an array. */
function loadTemplates(modulePath: string): EmailTemplates {
  registerTypeScript();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const module = require(resolveModule(modulePath)) as Record<string, unknown>;
  const isDefinition = (v: unknown): v is AnyTemplateDefinition =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { name?: unknown }).name === 'string' &&
    typeof (v as { render?: unknown }).render === 'function' &&
    typeof (v as { schema?: { safeParse?: unknown } }).schema?.safeParse === 'function';
  const found = new Map<string, AnyTemplateDefinition>();
  for (const value of Object.values(module))
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value])
      if (isDefinition(item)) found.set(item.name, item);
  return templatesByName([...found.values()]);
}

/**
 * `journeys preview <template> --data file.json`: renders one email template (the app's, from
 * `--templates`, default `./templates`; or a bundled one) with the data given, and writes its HTML and text
 * into `--out` (default `.journeys/preview`), so a person can look before anything is sent. Data that does
 * not fit the template's schema fails, naming the field; exits 2 on a usage error or an unknown template.
 */
export async function preview(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(argv, {
      data: { type: 'string' },
      templates: { type: 'string' },
      out: { type: 'string' },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\nUsage: ${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) {
    console.error(`Give one template name.\nUsage: ${USAGE}`);
    return 2;
  }
  const modulePath = path.resolve(values.templates ?? 'templates');
  if (values.templates !== undefined && !hasModule(modulePath)) {
    console.error(`No templates module at ${modulePath}.`);
    return 2;
  }
  const templates = {
    ...defaultEmailTemplates,
    ...(hasModule(modulePath) ? loadTemplates(modulePath) : {}),
  };
  const template = templates[name];
  if (!template) {
    console.error(`No template "${name}"; there are ${Object.keys(templates).sort().join(', ')}.`);
    return 2;
  }
  let data: Record<string, unknown> = {};
  if (values.data !== undefined) {
    if (!existsSync(values.data)) {
      console.error(`No data file ${values.data}.`);
      return 2;
    }
    data = JSON.parse(readFileSync(values.data, 'utf8')) as Record<string, unknown>;
  }
  // What a worker with signed links adds to every email's data.
  const links = {
    unsubscribeUrl: 'https://journeys.example/unsubscribe?token=preview',
    confirmUrl: 'https://journeys.example/confirm?token=preview',
  };
  let email;
  try {
    email = await renderEmail(template({ ...links, ...data }));
  } catch (err) {
    console.error(`Template "${name}" did not render: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const out = path.resolve(values.out ?? path.join('.journeys', 'preview'));
  mkdirSync(out, { recursive: true });
  const html = path.join(out, `${name}.html`);
  const text = path.join(out, `${name}.txt`);
  writeFileSync(html, email.html);
  writeFileSync(text, `Subject: ${email.subject}\n\n${email.text}`);
  console.log(`Subject: ${email.subject}`);
  console.log(`Wrote ${path.relative(process.cwd(), html)} and ${path.relative(process.cwd(), text)}`);
  return 0;
}
