/**
 * The TypeScript program the map reads journeys with, and the parsed files it keeps between reads so a
 * dashboard redrawing maps parses only what was edited.
 */
import path from 'node:path';
import ts from 'typescript';

/** This SDK's root: `src/` in the repository, `dist/src/` installed. */
const SDK_ROOT = path.resolve(__dirname, '..');

/** Packages the map reads declarations of: this one (journeys of a user's project import it). */
const READ_PACKAGES = /[\\/]node_modules[\\/](temporal-journeys|typescript[\\/]lib)[\\/]/;
const sourceCache = new Map<string, { readonly key: string; readonly file: ts.SourceFile }>();

/**
 * A program whose roots are the journey files: type-checkable, never emitted. `allowJs` reads compiled
 * journeys; a `.js` root turns it on as well.
 */
export function loadJourneyProgram(roots: readonly string[], allowJs: boolean): ts.Program {
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    allowJs: allowJs || roots.some((f) => /\.[cm]?js$/.test(f)),
    checkJs: false,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    types: [],
    // The package's entry names are this copy's own declarations (sources in the repository, .d.ts when
    // installed), so the library's journeys read as a user's app reads them, and as the bundle resolves them.
    paths: {
      'temporal-journeys': [path.join(SDK_ROOT, 'index')],
      'temporal-journeys/*': [path.join(SDK_ROOT, '*', 'index')],
    },
  };
  return ts.createProgram(roots, compilerOptions, sourceHost(compilerOptions));
}

/**
 * A compiler host that reads the journeys, this package and TypeScript's own lib, and no other package:
 * the map needs no types from Temporal or zod (Temporal's protobuf declarations alone are 9 MB), and a
 * call it cannot resolve is recognised by its name. Parsed files are kept while their text is unchanged,
 * so a dashboard redrawing maps parses only what was edited.
 */
function sourceHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const readable = (file: string) => !/[\\/]node_modules[\\/]/.test(file) || READ_PACKAGES.test(file);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => readable(file) && fileExists(file);
  host.getSourceFile = (file, languageVersion) => {
    const text = readable(file) ? host.readFile(file) : undefined;
    if (text === undefined) return undefined;
    const key = `${JSON.stringify(languageVersion)}\u0000${text}`;
    const cached = sourceCache.get(file);
    if (cached?.key === key) return cached.file;
    const parsed = ts.createSourceFile(file, text, languageVersion, true);
    sourceCache.set(file, { key, file: parsed });
    return parsed;
  };
  return host;
}
