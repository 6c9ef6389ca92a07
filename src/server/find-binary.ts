import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { JourneyError } from '../errors';

export const run = promisify(execFile);

/** Where a binary was found. `sdk-download` means: let `@temporalio/testing` download it (needs internet). */
export type BinarySource = 'explicit' | 'path' | 'cache' | 'installed' | 'sdk-download';

export interface FoundBinary {
  /** Absolute path to the executable; `undefined` for `sdk-download`. */
  readonly path: string | undefined;
  readonly source: BinarySource;
}

/** One way of finding or installing a binary, tried in order; returns a path or throws why not. */
export interface Attempt {
  readonly label: string;
  readonly source: BinarySource;
  readonly try: () => Promise<string | undefined> | string | undefined;
}

/** True when `file` exists and is executable. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `PATH`, if any. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && existsSync(file) && isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * Tries each way in order and returns the first that gives a binary. When none does, throws one
 * `BINARY_NOT_FOUND` error listing every attempt and why it failed, then how to fix it.
 */
export async function findBinary(
  what: string,
  attempts: readonly Attempt[],
  fix: string,
): Promise<FoundBinary> {
  const failures: string[] = [];
  for (const attempt of attempts) {
    try {
      const found = await attempt.try();
      if (found !== undefined) return { path: found || undefined, source: attempt.source };
      failures.push(`- ${attempt.label}: not there`);
    } catch (err) {
      failures.push(`- ${attempt.label}: ${firstLine(err)}`);
    }
  }
  throw new JourneyError(
    'BINARY_NOT_FOUND',
    `Could not find or install ${what}. Tried:\n${failures.join('\n')}\nTo fix: ${fix}`,
  );
}

export function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (e.stderr?.trim() || e.message || String(err)).split('\n').filter(Boolean);
  return text.slice(-1)[0]?.slice(0, 300) ?? 'failed';
}
