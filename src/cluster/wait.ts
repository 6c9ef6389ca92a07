import { createConnection, createServer } from 'node:net';

/** Resolves once a TCP connection to 127.0.0.1:`port` succeeds, or rejects after `timeoutMs`. */
export function waitForPort(port: number, timeoutMs: number): Promise<void> {
  return waitFor(
    `port ${port}`,
    timeoutMs,
    () =>
      new Promise<boolean>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
  );
}

/** Polls `ready` every 250 ms until it returns true; its throw ends the wait at once. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  ready: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      if (await ready()) return;
    } catch (err) {
      if ((err as { retry?: boolean }).retry !== true) throw err;
      last = `: ${(err as Error).message}`;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not ready after ${Math.round(timeoutMs / 1000)} s${last}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A TCP port free on 127.0.0.1 now, below 32,768: Temporal keeps membership ports in a PostgreSQL
 * `smallint`, and the OS's own picks (ephemeral ports) are above it. Ports taken since are tried again.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    if (await canListen(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000');
}

/** Ports this process handed out, so two services never get the same one before either listens. */
const taken = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
