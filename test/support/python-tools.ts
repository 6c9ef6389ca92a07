import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { userCacheDir } from '../../src/config';

const run = promisify(execFile);

/**
 * The outside judges of the HTTP API, from PyPI at pinned versions: `openapi-python-client` (generates a
 * Python client from our OpenAPI document; its own dependencies, httpx and attrs, are what that client
 * needs) and `schemathesis` (fuzzes the live server against the document).
 */
export const PYTHON_TOOLS = ['openapi-python-client==0.29.1', 'schemathesis==4.32.5'] as const;

export interface PythonTools {
  readonly python: string;
  /** A console script of the environment, e.g. `schemathesis`. */
  readonly bin: (tool: string) => string;
}

/**
 * A virtual environment with {@link PYTHON_TOOLS}, made once per user in the cache (a minute the first time,
 * instant after). A `.complete` marker is written last: an install killed half way is thrown away and made
 * again. (A venv cannot be built elsewhere and moved: its scripts name its path.)
 */
export async function pythonTools(): Promise<PythonTools> {
  const dir = path.join(userCacheDir(), 'python-tools', PYTHON_TOOLS.join('+').replace(/[^\w.+=-]/g, '_'));
  const tools = {
    python: path.join(dir, 'bin', 'python'),
    bin: (tool: string) => path.join(dir, 'bin', tool),
  };
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return tools;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await run('python3', ['-m', 'venv', dir], { timeout: 120_000 });
  await run(
    tools.python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...PYTHON_TOOLS],
    {
      timeout: 10 * 60_000,
      maxBuffer: 64 << 20,
    },
  );
  await writeFile(marker, `${PYTHON_TOOLS.join('\n')}\n`);
  return tools;
}
