/**
 * A YAML mistake in temporal.yaml is reported on the line a person fixes, not where the parser noticed it
 * (often the end of the file, or the next key): one row per kind of mistake, in LF, CRLF and CR files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { type ConfigError, isJourneyError } from '../../src/errors';

const FILE = '/srv/shop/temporal.yaml';

function configError(text: string): ConfigError {
  try {
    parseConfig(text, { path: FILE, env: {} });
  } catch (err) {
    if (isJourneyError(err, 'CONFIG_INVALID')) return err as ConfigError;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** Aliases that expand to a thousand nodes: the parser refuses them (resource exhaustion). */
const ALIAS_BOMB = [
  'taskQueue: journeys',
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  '',
].join('\n');

/** [what, text, the line to fix] */
const CASES: readonly (readonly [string, string, number])[] = [
  ['an unclosed double quote', 'taskQueue: journeys\nprofile: "local\ntimeScale: 1\n', 2],
  ['an unclosed single quote', "taskQueue: journeys\nprofile: 'local\ntimeScale: 1\n", 2],
  ['an unclosed quote on the last line, with a newline', 'taskQueue: a\nprofile: "local\n', 2],
  ['an unclosed quote on the last line, without one', 'taskQueue: a\nprofile: "local', 2],
  ['an unclosed quote before blank lines and a comment', 'taskQueue: a\nprofile: "local\n\n\n# end\n', 2],
  ['an unclosed quote inside a flow map', 'profiles:\n  local: { type: "local }\ntaskQueue: a\n', 2],
  ['an unclosed flow sequence', 'taskQueue: a\nx: [a, b\ntimeScale: 1\n', 2],
  ['an unclosed flow map', 'profile: local\nprofiles:\n  local: { type: local\ntaskQueue: journeys\n', 3],
  ['an unclosed flow sequence on the last line, without a newline', 'taskQueue: a\nx: [a, b', 2],
  ['an unclosed flow sequence before blank lines', 'taskQueue: a\nx: [a, b\n\n\n', 2],
  [
    'an unclosed flow sequence inside a flow map',
    'profiles:\n  local: { type: local, ports: [1, 2 }\ntaskQueue: a\n',
    2,
  ],
  [
    'a flow map over several lines, left open',
    'taskQueue: a\nprofiles:\n  local: {\n    type: local,\n    port: 1\ntimeScale: 1\n',
    3,
  ],
  ['an unclosed flow sequence on the first line', 'taskQueue: [a\nprofile: local\n', 1],
  ['an over-indented key', 'profiles:\n  local:\n    type: local\n      port: 7233\n', 4],
  ['an under-indented key', 'profiles:\n  local:\n    type: local\n   port: 7233\n', 4],
  ['a key indented under a value', 'taskQueue: a\n  profile: local\n', 2],
  ['a list item where a key belongs', 'channels:\n  email:\n    retry:\n  - a\n', 4],
  ['a tab as indentation', 'profiles:\n  local:\n\ttype: local\n', 3],
  ['a block scalar indented with a tab', 'taskQueue: |\n\tjourneys\n', 2],
  ['a duplicate key', 'taskQueue: a\nprofile: local\ntaskQueue: b\n', 3],
  ['a duplicate nested key', 'profiles:\n  local:\n    type: local\n    port: 1\n    port: 2\n', 5],
  ['a duplicate key in a flow map', 'profiles:\n  local: { type: local, type: local }\n', 2],
  ['a stray colon', 'taskQueue: a\nprofile: local: x\ntimeScale: 1\n', 2],
  ['a missing colon', 'taskQueue: a\nprofile\nlocal: x\n', 2],
  ['a missing colon in a nested map', 'profiles:\n  local\n    type: local\n', 2],
  ['a closing bracket with nothing open', 'taskQueue: a\nprofile: ]\n', 2],
  ['text after a closing quote', 'taskQueue: a\nprofile: "local" x\n', 2],
  ['a bad escape in a double-quoted value', 'taskQueue: a\nprofile: "lo\\qcal"\n', 2],
  ['a second document', 'taskQueue: a\n---\nprofile: b\n', 2],
  ['a directive and no document', '%YAML 1.2\n', 1],
  ['two anchors on one value', 'taskQueue: a\nprofile: &a &b local\n', 2],
  ['an alias to no anchor', 'taskQueue: a\nprofile: *nope\n', 2],
  ['aliases that expand too far', ALIAS_BOMB, 3],
  ['a key longer than 1024 characters', `taskQueue: a\n${'k'.repeat(1100)}: 1\n`, 2],
  ['CRLF: an unclosed quote', 'taskQueue: a\r\nprofile: "local\r\ntimeScale: 1\r\n', 2],
  ['CRLF: an unclosed quote on the last line, without a newline', 'taskQueue: a\r\nprofile: "local', 2],
  ['CRLF: an over-indented key', 'profiles:\r\n  local:\r\n    type: local\r\n      port: 7233\r\n', 4],
  ['CRLF: a duplicate key', 'taskQueue: a\r\nprofile: local\r\ntaskQueue: b\r\n', 3],
  ['CR line endings: an unclosed quote', 'taskQueue: a\rprofile: "local\rtimeScale: 1\r', 2],
  ['CR line endings: a duplicate key', 'taskQueue: a\rprofile: local\rtaskQueue: b\r', 3],
  ['a byte order mark, then an unclosed quote', '\ufefftaskQueue: a\nprofile: "local\n', 2],
];

test.each(CASES)('%s is reported on the line to fix', (_what, text, line) => {
  const err = configError(text);
  expect(err.location).toMatchObject({ file: FILE, line });
  expect(err.message.startsWith(`${FILE}:${line}: `)).toBe(true);
});

test('every reported line exists in the file', () => {
  for (const [, text] of CASES) {
    const lines = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
    const { line } = configError(text).location;
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines);
  }
});

test('after a syntax error is fixed, CR and CRLF files load like LF ones', () => {
  const lf = 'taskQueue: shop\nprofiles:\n  local:\n    type: local\n    port: 7300\n';
  const expected = parseConfig(lf, { path: FILE, env: {} });
  for (const eol of ['\r\n', '\r']) {
    const config = parseConfig(lf.replace(/\n/g, eol), { path: FILE, env: {} });
    expect(config.taskQueue).toBe('shop');
    expect(config.connection).toEqual(expected.connection);
  }
});

test('a schema error in a CR file names its line too', () => {
  const err = configError('taskQueue: a\rprofiles:\r  local:\r    type: local\r    prot: 1\r');
  expect(err.location).toMatchObject({ path: 'profiles.local.prot', line: 5 });
});

/** One-line mistakes, each applied to every line it fits: [what, edit (undefined: does not fit)]. */
const MISTAKES: readonly (readonly [string, (line: string) => string | undefined])[] = [
  ['an opening double quote', (l) => l.replace(/^(\s*[\w-]+: )(?=\S)/, '$1"')],
  ['an opening single quote', (l) => l.replace(/^(\s*[\w-]+: )(?=\S)/, "$1'")],
  ['an opening bracket', (l) => l.replace(/^(\s*[\w-]+: )(?=\S)/, '$1[')],
  ['an opening brace', (l) => l.replace(/^(\s*[\w-]+: )(?=\S)/, '$1{')],
  ['a dropped closing bracket or brace', (l) => l.replace(/[\]}](?=[^\]}]*$)/, '')],
  ['three spaces more', (l) => (/^\s*[\w-]+:/.test(l) ? `   ${l}` : l)],
  ['a space less', (l) => (/^\s+[\w-]+:/.test(l) ? l.slice(1) : l)],
  ['a tab for the indentation', (l) => (/^\s+\S/.test(l) ? `\t${l.trimStart()}` : l)],
  ['a stray colon', (l) => l.replace(/^(\s*[\w-]+: [\w.]+)$/, '$1: x')],
  ['a dropped colon', (l) => l.replace(/^(\s*[\w-]+): (?=\S)/, '$1 ')],
];

test('every one-line mistake in the shipped temporal.yaml is reported on its line, in LF, CRLF and CR', () => {
  const lines = readFileSync(path.join(__dirname, '..', '..', 'temporal.yaml'), 'utf8').split('\n');
  const wrong: string[] = [];
  let errors = 0;
  for (const eol of ['\n', '\r\n', '\r']) {
    const check = (edited: string[], line: number, what: string) => {
      let reported: number | undefined;
      try {
        parseConfig(edited.join(eol), { path: FILE, env: {} });
        return; // still valid YAML and config (a quote closed later, a tab inside a value)
      } catch (err) {
        if (!isJourneyError(err, 'CONFIG_INVALID')) throw err;
        reported = (err as ConfigError).location.line;
      }
      errors++;
      if (reported !== line)
        wrong.push(`${what} on line ${line} (${JSON.stringify(eol)}): reported ${reported}`);
    };
    lines.forEach((original, i) => {
      for (const [what, edit] of MISTAKES) {
        const line = edit(original);
        if (line !== undefined && line !== original)
          check([...lines.slice(0, i), line, ...lines.slice(i + 1)], i + 1, what);
      }
      if (/^\s*[\w-]+:/.test(original))
        check([...lines.slice(0, i + 1), original, ...lines.slice(i + 1)], i + 2, 'a repeated line');
    });
  }
  expect(wrong).toEqual([]);
  expect(errors).toBeGreaterThan(300); // the edits do break the file
});
