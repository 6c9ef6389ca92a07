/**
 * Where the map finds journeys: the directory of their sources, the files read from it, and every
 * `journey('<literal name>', …)` call in them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { JourneyError } from '../errors';
import { Api } from './extract-calls';
import { loadJourneyProgram } from './extract-program';

/** Where journey sources are read from: a directory, or some of its files. */
export interface MapSourceOptions {
  /** The directory of the journeys (default: the package's `workflows/`, see {@link journeySourceDir}). */
  readonly dir?: string;
  /** Only these files (relative to `dir`) as the program's roots; imports are still followed. */
  readonly files?: readonly string[];
}

/** A `journey(…)` call found in the sources, with its literal name. */
export interface FoundJourney {
  readonly name: string;
  readonly call: ts.CallExpression;
  readonly file: ts.SourceFile;
}

/** The journeys of a directory, and the checker that resolves their code. */
export interface JourneySources {
  readonly dir: string;
  readonly checker: ts.TypeChecker;
  readonly journeys: FoundJourney[];
}

/** The package's root: two levels above this file, in `src/map/` as in `dist/src/map/`. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The directory the map reads journey sources from: the directory of `--workflows PATH` (a file or a
 * directory), else the package's own `workflows/`. Run from `dist/`, the repository's TypeScript
 * `workflows/` beside `dist/` is preferred to the compiled JavaScript when it exists.
 */
export function journeySourceDir(workflowsPath?: string): string {
  if (workflowsPath !== undefined) {
    const resolved = path.resolve(workflowsPath);
    const isFile = existsSync(resolved) ? !statSync(resolved).isDirectory() : /\.[cm]?[jt]s$/.test(resolved);
    const dir = isFile ? path.dirname(resolved) : resolved;
    // Compiled journeys (`dist/workflows`): their TypeScript sources (`workflows`), when beside, read better.
    const parts = dir.split(path.sep);
    const at = parts.lastIndexOf('dist');
    if (at >= 0 && sourceFiles(dir, '.ts').length === 0) {
      const sources = [...parts.slice(0, at), ...parts.slice(at + 1)].join(path.sep);
      if (sourceFiles(sources, '.ts').length > 0) return sources;
    }
    return dir;
  }
  if (path.basename(PACKAGE_ROOT) === 'dist') {
    const sources = path.join(PACKAGE_ROOT, '..', 'workflows');
    if (sourceFiles(sources, '.ts').length > 0) return sources;
  }
  return path.join(PACKAGE_ROOT, 'workflows');
}

function sourceFiles(dir: string, ext: '.ts' | '.js'): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Compiles the sources and finds their journeys, the first of each name, in file order. Reads `.ts` files,
 * or `.js` ones (compiled journeys) when there are none; throws `JOURNEY_NOT_FOUND` when there is neither.
 */
export function openSource(options: MapSourceOptions): JourneySources {
  const dir = path.resolve(options.dir ?? journeySourceDir());
  const tsFiles = sourceFiles(dir, '.ts');
  const allowJs = tsFiles.length === 0;
  const roots = options.files
    ? options.files.map((f) => path.resolve(dir, f))
    : allowJs
      ? sourceFiles(dir, '.js')
      : tsFiles;
  if (roots.length === 0 || !roots.every((f) => existsSync(f))) {
    throw new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey sources in ${dir}: expected .ts (or compiled .js) files. Pass --workflows PATH for your own.`,
    );
  }
  const program = loadJourneyProgram(roots, allowJs);
  const checker = program.getTypeChecker();
  const inside = (file: string) => {
    const relative = path.relative(dir, file);
    return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.includes('node_modules');
  };
  const files = program
    .getSourceFiles()
    .filter(
      (sf) => !sf.isDeclarationFile && (inside(sf.fileName) || roots.includes(path.resolve(sf.fileName))),
    )
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
  const journeys: FoundJourney[] = [];
  const names = new Set<string>();
  const api = new Api(checker);
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && api.of(node) === 'journey') {
        const [first] = node.arguments;
        if (first && ts.isStringLiteralLike(first) && !names.has(first.text)) {
          names.add(first.text);
          journeys.push({ name: first.text, call: node, file });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { dir, checker, journeys };
}
