import { escapeHtml } from '../../activities';

type Doc = Record<string, unknown>;

/**
 * The API reference as one HTML page, drawn from the OpenAPI document on the server: every route with its
 * scope, parameters, body and answers, and every schema. No script and nothing fetched, so it works offline
 * and under a strict Content-Security-Policy.
 */
export function apiReferencePage(doc: Doc): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Doc>>;
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  const routes = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      const params = ((op.parameters as Doc[] | undefined) ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(String(p.name))}</code> (${escapeHtml(String(p.in))}${p.required ? ', required' : ''})</li>`,
        )
        .join('');
      const requestBody = op.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
      const bodySchema = requestBody ? Object.values(requestBody.content)[0]?.schema : undefined;
      const responses = Object.entries(op.responses as Record<string, { description: string }>)
        .map(([code, r]) => `<li><code>${code}</code> ${escapeHtml(r.description)}</li>`)
        .join('');
      const id = escapeHtml(String(op.operationId));
      return `<section id="${id}"><h3><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(str(op.summary))}${op['x-scope'] ? ` <span class="scope">scope <code>${escapeHtml(str(op['x-scope']))}</code></span>` : ''}</p>
${op.description ? `<p>${escapeHtml(str(op.description))}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${bodySchema ? `<h4>Body</h4><pre>${escapeHtml(JSON.stringify(bodySchema, null, 2))}</pre>` : ''}
<h4>Answers</h4><ul>${responses}</ul></section>`;
    }),
  );
  const models = Object.entries(schemas)
    .map(
      ([name, schema]) =>
        `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} API ${escapeHtml(info.version)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
pre{background:#f4f6f8;padding:.75rem;overflow:auto;font-size:13px}code{font-size:13px}.m{font:600 13px monospace;background:#1b1f24;color:#fff;padding:.1rem .4rem;border-radius:3px}
section{border-top:1px solid #d8dee4;padding:.5rem 0}.scope{color:#57606a}</style></head><body>
<h1>${escapeHtml(info.title)} API <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Routes</h2>${routes.join('\n')}<h2>Schemas</h2>${models}</body></html>`;
}
