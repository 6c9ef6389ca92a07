import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A failure a fake is told to answer with, `count` times (default once), optionally after a delay. */
export interface InjectedFailure {
  readonly status: number;
  readonly count?: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  /** Provider error name/code and message; defaults per status. */
  readonly code?: string | number;
  readonly message?: string;
}

/** Shared plumbing of the provider fakes: a server on 127.0.0.1, injected failures and latency. */
export abstract class HttpFake {
  private server: Server | undefined;
  private failures: InjectedFailure[] = [];
  /** Milliseconds each request waits before it is answered. */
  latencyMs = 0;
  /** Requests received, including rejected ones. */
  requests = 0;
  private waiting: (() => void)[] = [];

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The fake is not listening; call start() first.');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Answers the next `count` sends with this failure instead of sending. */
  fail(failure: InjectedFailure): void {
    for (let i = 0; i < (failure.count ?? 1); i++) this.failures.push(failure);
  }

  /** Drops failures still queued by {@link fail}. */
  clearFailures(): void {
    this.failures = [];
  }

  /** Resolves when the next request arrives, before latency and before it is answered. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', resolve);
    });
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected abstract handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> | void;

  /** The next injected failure, if one is queued. */
  protected nextFailure(): InjectedFailure | undefined {
    return this.failures.shift();
  }

  protected json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests += 1;
    for (const resolve of this.waiting.splice(0)) resolve();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    try {
      await this.handle(req, Buffer.concat(chunks).toString('utf8'), res);
    } catch (err) {
      if (!res.headersSent)
        this.json(res, 500, { message: err instanceof Error ? err.message : String(err) });
    }
  }
}
