/**
 * The jest transform of the package's preset: TypeScript (and TSX) to CommonJS with the `typescript` the
 * package already depends on, one file at a time (no type check: `tsc` does that).
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';

const VERSION = `temporal-journeys-jest-transform-1-${ts.version}`;

function process(source: string, file: string): { code: string; map?: string } {
  const { outputText, sourceMapText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: true,
      inlineSources: true,
      jsx: ts.JsxEmit.ReactJSX,
    },
  });
  return { code: outputText, map: sourceMapText };
}

function getCacheKey(source: string, file: string): string {
  return createHash('sha256')
    .update(VERSION)
    .update('\0')
    .update(file)
    .update('\0')
    .update(source)
    .digest('hex');
}

export = { process, getCacheKey };
