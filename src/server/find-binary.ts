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

/** How to look for a binary; shared by the Temporal CLI and the test server. */
export interface FindBinaryOptions {
  /** An explicit path (from temporal.yaml or an environment variable). */
  readonly explicitPath?: string;
  /** The project's cache folder (git-ignored), e.g. `.journeys`. */
  readonly cacheDir: string;
  /** Install into the cache when not found (default true). */
  readonly install?: boolean;
  /** Fall back to the SDK's own download from the internet as the last resort (default true). */
  readonly allowSdkDownload?: boolean;
  /** Progress of installs, which can take minutes. */
  readonly log?: (line: string) => void;
  /** Environment whose PATH is searched; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** What one binary is called and how it is installed. */
export interface BinarySpec {
  /** For messages: "the Temporal CLI". */
  readonly what: string;
  /** Where an explicit path comes from, for messages. */
  readonly explicitFrom: string;
  /** The command looked for on PATH. */
  readonly command: string;
  /** Where the cache keeps it. */
  readonly cached: string;
  /** Ways to install it into `cached`, tried in order. */
  readonly installers: readonly Attempt[];
  /** How to fix it when nothing works. */
  readonly fix: string;
}

/**
 * Finds a binary in order: explicit path, PATH, cache, then each installer, then (if allowed) the SDK's
 * own download. When none gives it, throws one `BINARY_NOT_FOUND` error listing every attempt and why it
 * failed, then how to fix it.
 */
export async function findBinary(spec: BinarySpec, options: FindBinaryOptions): Promise<FoundBinary> {
  const attempts: Attempt[] = [
    {
      label: `explicit path (${spec.explicitFrom})`,
      source: 'explicit',
      try: () => explicit(options.explicitPath),
    },
    { label: `\`${spec.command}\` on PATH`, source: 'path', try: () => onPath(spec.command, options.env) },
    {
      label: `cache ${spec.cached}`,
      source: 'cache',
      try: () => (isExecutable(spec.cached) ? spec.cached : undefined),
    },
    ...(options.install !== false ? spec.installers : []),
    ...(options.allowSdkDownload !== false
      ? [{ label: "@temporalio/testing's download", source: 'sdk-download' as const, try: () => '' }]
      : []),
  ];
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
    `Could not find or install ${spec.what}. Tried:\n${failures.join('\n')}\nTo fix: ${spec.fix}`,
  );
}

function explicit(file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (!isExecutable(file)) throw new Error(`${file} is not an executable file`);
  return path.resolve(file);
}

export function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (e.stderr?.trim() || e.message || String(err)).split('\n').filter(Boolean);
  return text.slice(-1)[0]?.slice(0, 300) ?? 'failed';
}
