import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * Worker state changes at INFO drown test and CLI output; keep warnings and errors (or only errors). Once
 * per process, and only if the app has not installed a runtime of its own.
 */
export function quietRuntime(level: 'WARN' | 'ERROR' = 'WARN'): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // A runtime is already installed: keep it.
  }
}
