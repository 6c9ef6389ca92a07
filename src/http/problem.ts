/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a `type` URI per kind, a `title`, the
 * `status`, a `detail` for this occurrence and, for invalid input, every failing field's path. Never a stack.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Each invalid field: its path in the request body (`events.2.data.cartId`) and what is wrong. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /** For a batch that failed part way: what each event got (a retry with the same ids is safe). */
  readonly results?: readonly unknown[];
}

/** The kinds of problem the API answers with, by `type` (a relative URI under `/problems/`). */
export const PROBLEMS = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'The API key lacks a scope this route needs' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The body must be JSON' },
  'rate-limited': { status: 429, title: 'Too many requests for this API key' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: {
    status: 503,
    title: 'Temporal is not reachable; nothing was applied that a retry would repeat',
  },
} as const;
export type ProblemKind = keyof typeof PROBLEMS;

export function problem(
  kind: ProblemKind,
  detail: string,
  extra?: Pick<Problem, 'issues' | 'results'>,
): Problem {
  const { status, title } = PROBLEMS[kind];
  return { type: `/problems/${kind}`, title, status, detail, ...extra };
}

/** A `Response` carrying `p`, with extra headers (`Retry-After`, `WWW-Authenticate`). */
export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}
