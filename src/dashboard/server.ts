import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { timeWindow } from '../reporting';
import { DashboardData, type DashboardSource } from './data';

export interface DashboardOptions extends DashboardSource {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Told about requests that failed (the page shows the message too). */
  readonly onError?: (error: Error) => void;
}

export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** The page, its script and style, compiled beside this file (`npm run build` copies them). */
const PUBLIC = path.join(__dirname, 'public');
const FILES: Record<string, { readonly file: string; readonly type: string }> = {
  '/': { file: path.join(PUBLIC, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: path.join(PUBLIC, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: path.join(PUBLIC, 'app.css'), type: 'text/css; charset=utf-8' },
  // Chart.js from the package, served locally: the dashboard works with no network.
  '/vendor/chart.umd.min.js': {
    file: path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

/**
 * A local dashboard of the journeys (what `journeys dev` serves): the list of journeys; for each, its map
 * drawn from code with live counts on the nodes, the funnel, outcomes, the paths customers took, A/B
 * uplift and links to recent runs in the Temporal Web UI. Numbers come from Temporal's visibility only.
 *
 * JSON: `GET /api/journeys`, `GET /api/journeys/<name>[?variant=V&since=7d|from=ISO&to=ISO]`; SVG:
 * `GET /api/journeys/<name>/map.svg` and `/paths.svg`.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const handler = createDashboardHandler(options);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    // On loopback, only pages of this machine may ask: a page elsewhere that rebinds its DNS name to
    // 127.0.0.1 sends its own name as Host, and gets nothing.
    if (LOOPBACK.has(host) && !LOOPBACK.has(hostname(req.headers.host))) {
      send(res, 403, {
        error: `The dashboard answers only on localhost, not ${req.headers.host ?? 'no Host'}.`,
      });
      return;
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The dashboard as a request handler, for a server of your own (`journeys serve` mounts it under
 * `/dashboard/`, behind a key): `req.url` is the path below where it is mounted. Its pages use relative
 * addresses, so any mount point works.
 */
export function createDashboardHandler(
  options: DashboardSource & Pick<DashboardOptions, 'onError'>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const data = new DashboardData(options);
  return (req, res) =>
    handle(data, req, res).catch((err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      options.onError?.(error);
      if (!res.headersSent) send(res, 500, { error: error.message });
      else res.end();
    });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** The name in a Host header, without its port (and without the brackets of an IPv6 address). */
function hostname(header: string | undefined): string {
  if (!header) return '';
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  return bracketed ? bracketed[1]! : header.replace(/:\d+$/, '');
}

async function handle(data: DashboardData, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://dashboard');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, { error: `${req.method} is not allowed; the dashboard only reads.` });
  }
  const file = FILES[url.pathname];
  if (file) {
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' });
    res.end(readFileSync(file.file));
    return;
  }
  if (url.pathname === '/api/journeys') return send(res, 200, await data.summaries());

  const match = /^\/api\/journeys\/([^/]+)(?:\/(map|paths)\.svg)?$/.exec(url.pathname);
  if (!match) return send(res, 404, { error: `Nothing at ${url.pathname}.` });
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    return send(res, 400, { error: `Bad journey name in ${url.pathname}.` });
  }
  if (!data.definition(name))
    return send(res, 404, { error: `No journey "${name}".`, journeys: data.names() });
  const window = timeWindow({
    since: url.searchParams.get('since') ?? undefined,
    from: url.searchParams.get('from') ?? undefined,
    to: url.searchParams.get('to') ?? undefined,
  });
  if (typeof window === 'string') return send(res, 400, { error: window.replace(/--/g, '') });
  const variant = url.searchParams.get('variant') || undefined;
  const detail = await data.detail(name, { ...window, ...(variant ? { variant } : {}) });
  if (!detail) return send(res, 404, { error: `No journey "${name}".` });
  if (match[2] === 'map') {
    if ('error' in detail.map) return send(res, 500, { error: detail.map.error });
    return sendSvg(res, detail.map.svg);
  }
  if (match[2] === 'paths') return sendSvg(res, detail.paths.svg);
  return send(res, 200, detail);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(JSON.stringify(body));
}

function sendSvg(res: ServerResponse, svg: string): void {
  res.writeHead(200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(svg);
}
