import { isMap, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../errors';
import { syntaxErrorOffset } from './yaml-error-offset';

/** A parsed YAML file and a way back from a path inside it to the line it is on. */
export interface YamlFile {
  /** The file's value as plain JSON (`{}` for an empty file). */
  readonly value: unknown;
  /**
   * The line of the deepest node of `at` the file has (the key itself when `isKey`, for an unknown key):
   * `profiles.local.uiPort`, or `profiles.local` when `uiPort` is left to its default.
   */
  lineOf(at: readonly string[], isKey?: boolean): number | undefined;
}

/** How far aliases may expand: the `yaml` package's guard against a billion-laughs file. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a config file. A syntax error throws {@link ConfigError} on the line a person fixes (see
 * {@link syntaxErrorOffset}); CR, CRLF and LF line ends all count as line ends, as YAML 1.2 says.
 */
export function readYaml(source: string, file: string): YamlFile {
  // YAML 1.2 counts a lone CR as a line break; the `yaml` package and LineCounter only count LF. Replacing
  // each lone CR by LF keeps every offset and makes old Mac files parse, and count, like the others.
  const text = source.replace(/\r(?!\n)/g, '\n');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineAt = (offset: number) => lines.linePos(offset).line;
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineAt(syntaxErrorOffset(text, syntax));
    throw new ConfigError(`${file}:${line}: YAML syntax error: ${syntax.message.split('\n')[0]}`, {
      file,
      line,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (cause) {
    // An alias to no anchor, or aliases that expand past the guard: the parser throws a bare ReferenceError.
    const alias = firstAlias(doc);
    const line = alias && lineAt(alias.offset);
    const what = alias?.unresolved
      ? `alias *${alias.name} names no anchor &${alias.name} set before it`
      : `aliases expand to more than ${MAX_ALIAS_COUNT} values; write the values out`;
    throw new ConfigError(`${file}:${line ?? '?'}: YAML error: ${what}`, { file, line }, { cause });
  }
  return { value, lineOf: (at, isKey = false) => lineOfPath(doc, at, isKey, lineAt) };
}

/** The first alias node of the document, and whether it names an anchor that is not set before it. */
function firstAlias(doc: Document): { offset: number; name: string; unresolved: boolean } | undefined {
  const aliases: { offset: number; name: string; unresolved: boolean }[] = [];
  visit(doc, {
    Alias(_key, node) {
      aliases.push({ offset: node.range?.[0] ?? 0, name: node.source, unresolved: !node.resolve(doc) });
    },
  });
  return aliases.find((a) => a.unresolved) ?? aliases[0];
}

function lineOfPath(
  doc: Document,
  at: readonly string[],
  isKey: boolean,
  lineAt: (offset: number) => number,
): number | undefined {
  for (let depth = at.length; depth >= 0; depth--) {
    const last = at[depth - 1];
    if (depth > 0 && isKey && depth === at.length) {
      const parentPath = at.slice(0, depth - 1);
      const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value) === last);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineAt(range[0]);
      }
      continue;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return lineAt(range[0]);
  }
  return undefined;
}
