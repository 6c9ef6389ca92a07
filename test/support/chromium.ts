import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium for the dashboard's browser test: `CHROMIUM_PATH`, or /usr/bin/chromium, installed
 * with apt-get (as root, or with passwordless sudo) when it is missing. apt-get's output goes to a log
 * file under `logDir`.
 */
export function ensureChromium(logDir: string, log: (line: string) => void): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist.`);
    return explicit;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && canSudo();
  if (!asRoot && !sudo)
    throw new Error(
      'The dashboard test needs Chromium: `apt-get install chromium` (Debian), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'apt-chromium.log');
  log(`Installing Debian's chromium with apt-get (log: ${logFile})…`);
  const out = openSync(logFile, 'a');
  // sudo resets the environment, so the frontend setting goes through `env`.
  const run = (args: string[]) =>
    execFileSync(
      sudo ? 'sudo' : 'env',
      [...(sudo ? ['-n', 'env'] : []), 'DEBIAN_FRONTEND=noninteractive', ...args],
      { stdio: ['ignore', out, out], timeout: 10 * 60_000 },
    );
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  } finally {
    closeSync(out);
  }
  if (!existsSync(DEBIAN_CHROMIUM))
    throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing; see ${logFile}.`);
  return DEBIAN_CHROMIUM;
}

function canSudo(): boolean {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
