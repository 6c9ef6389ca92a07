import { parseArgs } from 'node:util';

type FlagSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;
type FlagValues<T extends FlagSpec> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** Parses a command's flags; an unknown flag is an error that names it. */
export function parseFlags<T extends FlagSpec>(
  argv: string[],
  options: T,
): { values: FlagValues<T>; positionals: string[] } {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { values: values, positionals };
}

/** A flag as a port number, or `fallback`. */
export function portFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--${name} must be a port number (0-65535), got "${value}"`);
  return port;
}
