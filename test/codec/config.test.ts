/** `encryption:` in temporal.yaml: what it takes, and the errors a wrong or missing key gives before anything runs. */
import { randomBytes } from 'node:crypto';
import { codecServerSettings, dataConverterOf } from '../../src/codec';
import { parseConfig } from '../../src/config';

const yaml = (encryption: string) =>
  `encryption:\n${encryption
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
const parse = (text: string, env: NodeJS.ProcessEnv = {}) =>
  parseConfig(text, { path: '/tmp/temporal.yaml', env });
const ring = yaml('currentKey: k2\nkeys:\n  - { id: k1, env: KEY_ONE }\n  - { id: k2, env: KEY_TWO }');

test('keys come from the variables named; an unset one is named in the error, with the key id', () => {
  const config = parse(ring);
  expect(() => dataConverterOf(config, { KEY_ONE: randomBytes(32).toString('base64') })).toThrow(
    /KEY_TWO \(key "k2"\) is not set/,
  );
  const both = { KEY_ONE: randomBytes(32).toString('base64'), KEY_TWO: randomBytes(32).toString('hex') };
  const converter = dataConverterOf(config, both);
  expect(converter?.payloadCodecs).toHaveLength(1);
  expect(dataConverterOf(config, both)).not.toBe(converter); // memoized only for process.env
  expect(dataConverterOf(parse(''))).toBeUndefined(); // no encryption: Temporal's default converter
});

test('a key that is not 32 bytes of base64 or hex is refused, naming its variable', () => {
  const config = parse(ring);
  expect(() =>
    dataConverterOf(config, { KEY_ONE: 'short', KEY_TWO: randomBytes(32).toString('base64') }),
  ).toThrow(/KEY_ONE \(key "k1"\) is not a 32-byte key/);
  expect(() =>
    dataConverterOf(parse(ring), {
      KEY_ONE: randomBytes(16).toString('hex').repeat(1),
      KEY_TWO: randomBytes(32).toString('base64'),
    }),
  ).toThrow(/KEY_ONE/);
});

test('the file is checked: the current key must be listed, ids are unique and printable', () => {
  expect(() => parse(yaml('currentKey: k9\nkeys:\n  - { id: k1, env: KEY_ONE }'))).toThrow(/currentKey/);
  expect(() => parse(yaml('currentKey: k1\nkeys:\n  - { id: k1, env: A }\n  - { id: k1, env: B }'))).toThrow(
    /once/,
  );
  expect(() => parse(yaml('currentKey: "a b"\nkeys:\n  - { id: "a b", env: A }'))).toThrow(/key id/);
});

test('the codec server needs its token from the environment, of a useful length', () => {
  const env = { KEY_ONE: randomBytes(32).toString('base64'), KEY_TWO: randomBytes(32).toString('base64') };
  expect(() => codecServerSettings(parse(ring), env)).toThrow(/JOURNEYS_CODEC_TOKEN/);
  const settings = codecServerSettings(parse(ring), { ...env, JOURNEYS_CODEC_TOKEN: 'x'.repeat(32) });
  expect(settings).toMatchObject({ host: '127.0.0.1', port: 8788, origins: [] });
  expect(() => codecServerSettings(parse(''), env)).toThrow(/no encryption/);
});
