import Module from 'node:module';
import path from 'node:path';
import ts from 'typescript';

let registered = false;

/**
 * Lets the CLI `require` an app's journeys written in TypeScript (`workflows/index.ts`), as the worker's
 * bundler reads them: each `.ts` file outside `node_modules` is transpiled to CommonJS on load (no type
 * check: `tsc` does that), and a relative `./events.js` finds `./events.ts` (ESM-style imports). Nothing is
 * registered when a loader is already there (ts-node, jest).
 */
export function registerTypeScript(): void {
  const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
  if (registered || extensions['.ts']) return;
  registered = true;
  extensions['.ts'] = (module: Module & { _compile(code: string, file: string): void }, file: string) => {
    const source = ts.sys.readFile(file) ?? '';
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        inlineSourceMap: true,
        jsx: ts.JsxEmit.ReactJSX,
      },
    });
    module._compile(outputText, file);
  };
  extensions['.tsx'] = extensions['.ts'];
  const resolver = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  };
  const resolve = resolver._resolveFilename.bind(resolver);
  resolver._resolveFilename = (request, parent, ...rest) => {
    try {
      return resolve(request, parent, ...rest);
    } catch (err) {
      const from = (parent as { filename?: string } | undefined)?.filename ?? '';
      if (
        !/^\.\.?\//.test(request) ||
        !/\.[cm]?js$/.test(request) ||
        from.includes(`${path.sep}node_modules${path.sep}`)
      )
        throw err;
      return resolve(request.replace(/\.([cm]?)js$/, '.$1ts'), parent, ...rest);
    }
  };
}
