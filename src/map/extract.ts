import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { JourneyError } from '../errors';
import type { JourneyMap, MapEdge, MapNode, MapNodeKind } from './types';

/*
 * One file on purpose (it is longer than our usual 300 lines): the value evaluator, the graph under
 * construction and the control-flow builder share the checker and each other's state so closely that a
 * split would only move private types across module boundaries.
 */

/** Where journey sources are read from: a directory, or some of its files. */
export interface MapSourceOptions {
  /** The directory of the journeys (default: the package's `workflows/`, see {@link journeySourceDir}). */
  readonly dir?: string;
  /** Only these files (relative to `dir`) as the program's roots; imports are still followed. */
  readonly files?: readonly string[];
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
    return existsSync(resolved) && statSync(resolved).isDirectory() ? resolved : path.dirname(resolved);
  }
  if (path.basename(PACKAGE_ROOT) === 'dist') {
    const sources = path.join(PACKAGE_ROOT, '..', 'workflows');
    if (sourceFiles(sources, '.ts').length > 0) return sources;
  }
  return path.join(PACKAGE_ROOT, 'workflows');
}

/**
 * Every journey declared in a directory (each `journey('<literal name>', options, body)` call), drawn as a
 * graph from its source with the TypeScript compiler: steps, sends, sleeps, waits, branches, splits, loops,
 * outcomes and goal exits. Reads `.ts` files, or `.js` ones (compiled journeys) when there are none.
 *
 * @example
 * ```ts
 * for (const map of mapJourneys({ dir: 'workflows' })) console.log(toMermaid(map));
 * ```
 */
export function mapJourneys(options: MapSourceOptions = {}): JourneyMap[] {
  const source = openSource(options);
  return source.journeys.map((found) => new JourneyReader(source.checker, found).read());
}

/**
 * One journey's map, by name. Throws a `JOURNEY_NOT_FOUND` {@link JourneyError} listing the journeys it
 * found when there is none of that name.
 *
 * @example
 * ```ts
 * const map = mapJourney('abandoned-cart');
 * map.nodes.filter((n) => n.kind === 'step').map((n) => n.step); // ['reminder-email', 'reminder-sms']
 * ```
 */
export function mapJourney(name: string, options: MapSourceOptions = {}): JourneyMap {
  const source = openSource(options);
  const found = source.journeys.find((j) => j.name === name);
  if (!found) {
    const known = source.journeys.map((j) => j.name).join(', ') || 'none';
    throw new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey "${name}" in ${source.dir}; it has ${known}. Pass --workflows PATH for your own.`,
    );
  }
  return new JourneyReader(source.checker, found).read();
}

// ---------------------------------------------------------------------------------------------------------
// Reading the sources

interface FoundJourney {
  readonly name: string;
  readonly call: ts.CallExpression;
  readonly file: ts.SourceFile;
}

function sourceFiles(dir: string, ext: '.ts' | '.js'): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

function openSource(options: MapSourceOptions): {
  dir: string;
  checker: ts.TypeChecker;
  journeys: FoundJourney[];
} {
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
  };
  const program = ts.createProgram(roots, compilerOptions, sourceHost(compilerOptions));
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

/** Packages the map reads declarations of: this one (journeys of a user's project import it). */
const READ_PACKAGES = /[\\/]node_modules[\\/](temporal-journeys|typescript[\\/]lib)[\\/]/;
const sourceCache = new Map<string, { readonly key: string; readonly file: ts.SourceFile }>();

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

// ---------------------------------------------------------------------------------------------------------
// Recognising the authoring API

type ApiName =
  'journey' | 'step' | 'sleep' | 'sleepUntil' | 'waitFor' | 'split' | 'patched' | `send.${string}`;
const API_NAMES: ReadonlySet<string> = new Set([
  'journey',
  'step',
  'sleep',
  'sleepUntil',
  'waitFor',
  'split',
  'patched',
]);

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
function bare(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
      e = e.expression;
    else if (ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

class Api {
  constructor(private readonly checker: ts.TypeChecker) {}

  /**
   * Which authoring call this is, if any. The callee is resolved through imports and must be declared in a
   * `workflow/` directory (src/workflow, the package's dist, or @temporalio/workflow for `patched`), so a
   * `String#split` or a helper of your own named `step` is not mistaken for one. Compiled code's
   * `(0, workflow_1.step)(…)` reads the same. When imports cannot be resolved, the name decides.
   */
  of(call: ts.CallExpression): ApiName | undefined {
    let callee = bare(call.expression);
    if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken)
      callee = bare(callee.right);
    const names: string[] = [];
    let e: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = bare(e.expression);
    }
    if (!ts.isIdentifier(e) || names.length > 2) return undefined;
    names.unshift(e.text);
    const at = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    const target = this.target(this.checker.getSymbolAtLocation(at));
    const declaration = target?.declarations?.[0];
    if (declaration) {
      // Resolved: by what it is, so `import { step as touch }` is a step and a local `step` is not.
      if (!/[\\/]workflow[\\/]/.test(declaration.getSourceFile().fileName)) return undefined;
      let owner: ts.Node | undefined = declaration.parent;
      while (owner && !ts.isVariableDeclaration(owner) && !ts.isSourceFile(owner)) owner = owner.parent;
      if (
        owner &&
        ts.isVariableDeclaration(owner) &&
        ts.isIdentifier(owner.name) &&
        owner.name.text === 'send'
      )
        return `send.${target.name}`;
      return API_NAMES.has(target.name) ? (target.name as ApiName) : undefined;
    }
    // Unresolved (a package the map does not read): by name, on an import or a `require` binding.
    const last = names[names.length - 1]!;
    const api: ApiName | undefined =
      names[names.length - 2] === 'send'
        ? `send.${last}`
        : API_NAMES.has(last) && names.length <= 2
          ? (last as ApiName)
          : undefined;
    return api && (names.length === 1 || this.isModule(e)) ? api : undefined;
  }

  target(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
      const aliased = this.checker.getAliasedSymbol(symbol);
      return aliased.declarations?.length ? aliased : undefined;
    }
    return symbol;
  }

  /** An import binding, or a `require(…)` one in compiled code. */
  private isModule(id: ts.Identifier): boolean {
    const declarations = this.checker.getSymbolAtLocation(id)?.declarations ?? [];
    return declarations.some(
      (d) =>
        ts.isImportClause(d) ||
        ts.isNamespaceImport(d) ||
        ts.isImportSpecifier(d) ||
        (ts.isVariableDeclaration(d) &&
          d.initializer !== undefined &&
          /\brequire\(/.test(d.initializer.getText())),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Values: a small evaluator that answers UNKNOWN when it cannot tell

const UNKNOWN = Symbol('unknown');
/** An object known to exist without knowing what is in it: the event a `waitFor` received. */
const TRUTHY = Symbol('truthy');
type Value = unknown;
/** What is known on one path through the code, by variable symbol or by call node (a wait's result). */
type Env = ReadonlyMap<object, Value>;
const EMPTY: Env = new Map();

function truthiness(v: Value): boolean | undefined {
  if (v === UNKNOWN) return undefined;
  if (v === TRUTHY) return true;
  return Boolean(v);
}

function isKnownPrimitive(v: Value): v is string | number | boolean | null | undefined {
  return v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
}

const isRecord = (v: Value): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Regex escaping as the path map (src/reporting/paths.ts) does it, so literal step patterns compare equal. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const LABEL_MAX = 60;

function collapse(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > LABEL_MAX ? `${flat.slice(0, LABEL_MAX - 1).trimEnd()}…` : flat;
}

const KEYWORD_VALUES: ReadonlyMap<ts.SyntaxKind, Value> = new Map<ts.SyntaxKind, Value>([
  [ts.SyntaxKind.TrueKeyword, true],
  [ts.SyntaxKind.FalseKeyword, false],
  [ts.SyntaxKind.NullKeyword, null],
]);

const EQUALITY: ReadonlyMap<ts.SyntaxKind, { loose: boolean; negate: boolean }> = new Map([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, { loose: false, negate: false }],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, { loose: false, negate: true }],
  [ts.SyntaxKind.EqualsEqualsToken, { loose: true, negate: false }],
  [ts.SyntaxKind.ExclamationEqualsToken, { loose: true, negate: true }],
]);

const ARITHMETIC: ReadonlyMap<ts.SyntaxKind, (a: number, b: number) => Value> = new Map<
  ts.SyntaxKind,
  (a: number, b: number) => Value
>([
  [ts.SyntaxKind.PlusToken, (a, b) => a + b],
  [ts.SyntaxKind.MinusToken, (a, b) => a - b],
  [ts.SyntaxKind.AsteriskToken, (a, b) => a * b],
  [ts.SyntaxKind.SlashToken, (a, b) => a / b],
  [ts.SyntaxKind.PercentToken, (a, b) => a % b],
  [ts.SyntaxKind.LessThanToken, (a, b) => a < b],
  [ts.SyntaxKind.LessThanEqualsToken, (a, b) => a <= b],
  [ts.SyntaxKind.GreaterThanToken, (a, b) => a > b],
  [ts.SyntaxKind.GreaterThanEqualsToken, (a, b) => a >= b],
]);

/** Whether two values are equal, when that is known: a received event is never `null` or `undefined`. */
function equals(a: Value, b: Value, loose: boolean): boolean | undefined {
  if (a === UNKNOWN || b === UNKNOWN) return undefined;
  if (a === TRUTHY || b === TRUTHY) {
    const other = a === TRUTHY ? b : a;
    return other === null || other === undefined ? false : undefined;
  }
  if (loose && (a === null || a === undefined)) return b === null || b === undefined;
  return a === b;
}

// ---------------------------------------------------------------------------------------------------------
// The graph under construction

interface Pending {
  readonly from: string;
  readonly label?: string;
  /** A split arm: kept as its own edge even when another arm goes to the same node. */
  readonly arm?: boolean;
  readonly env: Env;
}

interface Frame {
  readonly kind: 'loop' | 'switch';
  readonly breaks: Pending[];
  readonly continues: Pending[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type DraftEdge = Mutable<MapEdge> & { arm?: boolean };

class Graph {
  readonly nodes: MapNode[] = [];
  readonly edges: DraftEdge[] = [];
  private readonly ends = new Map<string, string>();
  /** Grows with every node, edge and jump: a branch that left it unchanged drew nothing. */
  changes = 0;

  add(kind: MapNodeKind, label: string, line: number, extra: Partial<MapNode> = {}): string {
    const id = `n${this.nodes.length + 1}`;
    this.nodes.push({ id, kind, label, ...extra, line });
    this.changes++;
    return id;
  }

  /** The end node of an outcome: one per outcome, made where the code first reaches it. */
  end(outcome: string, line: number): string {
    let id = this.ends.get(outcome);
    if (!id) {
      id = this.add('end', outcome, line, { outcome });
      this.ends.set(outcome, id);
    }
    return id;
  }

  edge(edge: DraftEdge): void {
    this.edges.push(edge);
    this.changes++;
  }

  /**
   * Edges from pending exits to `to`. Two exits of one node reaching the same place (a wait's `received` and
   * `timed out`) become one unlabelled edge: the difference does not matter there. Split arms stay apart.
   */
  connect(pendings: readonly Pending[], to: string, loop = false): void {
    for (const p of pendings) {
      const label = loop ? (p.label ?? 'again') : p.label;
      const same = p.arm ? undefined : this.edges.find((e) => e.from === p.from && e.to === to && !e.arm);
      if (same) {
        if (same.label !== label) same.label = loop ? 'again' : undefined;
        continue;
      }
      this.edge({
        from: p.from,
        to,
        ...(label !== undefined ? { label } : {}),
        ...(loop ? { kind: 'loop' as const } : {}),
        ...(p.arm ? { arm: true } : {}),
      });
    }
  }

  snapshot(): { nodes: number; edges: number; changes: number } {
    return { nodes: this.nodes.length, edges: this.edges.length, changes: this.changes };
  }

  restore(s: { nodes: number; edges: number; changes: number }): void {
    this.nodes.length = s.nodes;
    this.edges.length = s.edges;
    this.changes = s.changes;
  }
}

function intersect(pendings: readonly Pending[]): Env {
  const [first, ...rest] = pendings;
  if (!first) return EMPTY;
  if (rest.length === 0) return first.env;
  const env = new Map<object, Value>();
  for (const [key, value] of first.env)
    if (rest.every((p) => p.env.has(key) && p.env.get(key) === value)) env.set(key, value);
  return env;
}

function withBinding(env: Env, key: object, value: Value): Env {
  const next = new Map(env);
  next.set(key, value);
  return next;
}

// ---------------------------------------------------------------------------------------------------------
// One journey

/** Unrolling stops here: a longer constant array is drawn as a loop. */
const MAX_UNROLL = 24;

class JourneyReader {
  private readonly api: Api;
  private readonly graph = new Graph();
  private readonly sf: ts.SourceFile;
  private readonly evaluating = new Set<ts.Symbol>();
  private readonly assignedCache = new Map<ts.Node, ReadonlySet<ts.Symbol>>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly found: FoundJourney,
  ) {
    this.api = new Api(checker);
    this.sf = found.file;
  }

  read(): JourneyMap {
    const { name, call } = this.found;
    const [, optionsArg, bodyArg] = call.arguments;
    const options = this.objectLiteral(optionsArg);
    const prop = (key: string) =>
      options?.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && this.propertyName(p.name) === key,
      );
    const triggerProp = prop('trigger');
    const trigger = triggerProp ? this.eventNames(triggerProp.initializer).join(' or ') : undefined;
    const goalProp = prop('goal');
    const goals = goalProp ? this.eventNames(goalProp.initializer) : [];
    const value = (key: string) => {
      const p = prop(key);
      return p ? this.evaluate(p.initializer, EMPTY) : undefined;
    };
    const outcome = value('goalOutcome');
    const goalOutcome = typeof outcome === 'string' ? outcome : 'converted';
    const keyed =
      value('keyed') === true ||
      options?.properties.some((p) => p.name !== undefined && this.propertyName(p.name) === 'key') === true;

    const g = this.graph;
    const start = g.add('start', `${trigger ?? 'enrolled'}${keyed ? ' (keyed)' : ''}`, this.line(call));
    for (const goal of goals) {
      const line = this.line(goalProp!);
      const id = g.add('goal', `goal: ${goal}`, line, { outcome: goalOutcome });
      g.edge({ from: start, to: id, label: 'any time', kind: 'goal' });
      g.edge({ from: id, to: g.end(goalOutcome, line) });
    }

    const body = this.functionOf(bodyArg);
    if (!body) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${name}" (${this.relativeFile()}:${this.line(call)}): its body, the third argument of journey(), is not a function the map can read.`,
      );
    }
    let pendings: Pending[] = [{ from: start, env: EMPTY }];
    if (body.body && ts.isBlock(body.body)) pendings = this.block(body.body.statements, pendings, []);
    else if (body.body) pendings = this.expression(body.body, pendings);
    if (pendings.length > 0) {
      const endLine = this.sf.getLineAndCharacterOfPosition(body.end).line + 1;
      g.connect(pendings, g.end('completed', endLine));
    }
    return {
      journey: name,
      file: this.relativeFile(),
      ...(trigger !== undefined ? { trigger } : {}),
      goals,
      goalOutcome,
      nodes: g.nodes,
      edges: g.edges.map(({ arm: _arm, ...edge }) => edge),
    };
  }

  // ---- statements -----------------------------------------------------------------------------------

  private block(
    statements: readonly ts.Statement[],
    pendings: Pending[],
    frames: readonly Frame[],
  ): Pending[] {
    let ps = pendings;
    for (const s of statements) {
      if (ps.length === 0) break; // unreachable
      ps = this.statement(s, ps, frames);
    }
    return ps;
  }

  private statement(s: ts.Statement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const g = this.graph;
    if (ts.isBlock(s)) return this.block(s.statements, ps, frames);
    if (ts.isExpressionStatement(s)) return this.expression(s.expression, ps);
    if (ts.isVariableStatement(s)) return this.declarations(s.declarationList, ps);
    if (ts.isIfStatement(s)) {
      const cond = s.expression;
      const after = this.expression(cond, ps);
      return this.decide(
        this.label(cond),
        this.line(s),
        after,
        (env) => truthiness(this.evaluate(cond, env)),
        (yes) => this.statement(s.thenStatement, yes, frames),
        (no) => (s.elseStatement ? this.statement(s.elseStatement, no, frames) : no),
        s,
      );
    }
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) {
      const expr = s.expression;
      const after = expr ? this.expression(expr, ps) : ps;
      for (const p of after) {
        let outcome = 'failed';
        if (ts.isReturnStatement(s)) {
          const v = expr ? this.evaluate(expr, p.env) : undefined;
          outcome = typeof v === 'string' ? v : v === undefined ? 'completed' : this.label(expr!);
        }
        g.connect([p], g.end(outcome, this.line(s)));
      }
      return [];
    }
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      const frame = [...frames].reverse().find((f) => ts.isBreakStatement(s) || f.kind === 'loop');
      if (frame) {
        (ts.isBreakStatement(s) ? frame.breaks : frame.continues).push(...ps);
        g.changes++;
      }
      return [];
    }
    if (ts.isForOfStatement(s)) return this.forOf(s, ps, frames);
    if (ts.isForStatement(s)) {
      let before = ps;
      if (s.initializer)
        before = ts.isVariableDeclarationList(s.initializer)
          ? this.declarations(s.initializer, ps)
          : this.expression(s.initializer, ps);
      const label = s.condition ? `while ${this.label(s.condition)}` : 'repeat';
      return this.loop(s, label, before, frames, { cond: s.condition, incrementor: s.incrementor });
    }
    if (ts.isWhileStatement(s))
      return this.loop(s, `while ${this.label(s.expression)}`, ps, frames, { cond: s.expression });
    if (ts.isDoStatement(s))
      return this.loop(s, `do … while ${this.label(s.expression)}`, ps, frames, {
        cond: s.expression,
        doWhile: true,
      });
    if (ts.isForInStatement(s)) {
      const after = this.expression(s.expression, ps);
      return this.loop(s, `for each key in ${this.label(s.expression)}`, after, frames, {
        eachOf: s.initializer,
      });
    }
    if (ts.isSwitchStatement(s)) return this.switchStatement(s, ps, frames);
    if (ts.isTryStatement(s)) {
      // The happy path: what the try block does, then finally. A catch is the exception, not the journey.
      const tried = this.block(s.tryBlock.statements, ps, frames);
      return s.finallyBlock ? this.block(s.finallyBlock.statements, tried, frames) : tried;
    }
    if (ts.isLabeledStatement(s)) return this.statement(s.statement, ps, frames);
    return ps; // declarations of functions, types, classes; empty statements
  }

  private declarations(list: ts.VariableDeclarationList, ps: Pending[]): Pending[] {
    let out = ps;
    for (const d of list.declarations) {
      if (d.initializer) out = this.expression(d.initializer, out);
      const init = d.initializer;
      out = out.map((p) => ({
        ...p,
        env: this.bind(p.env, d.name, init ? this.evaluate(init, p.env) : undefined),
      }));
    }
    return out;
  }

  /**
   * An `if`, `?:`, `&&` or step name deciding which way the code goes. Each path whose condition is known
   * takes its branch without a node (a wait's `received` skipping `if (!click)`); the others meet at a
   * decision node. A decision whose branches draw nothing is taken back.
   */
  private decide(
    label: string,
    line: number,
    ps: Pending[],
    test: (env: Env) => boolean | undefined,
    yes: (ps: Pending[]) => Pending[],
    no: (ps: Pending[]) => Pending[],
    scope: ts.Node,
    labels: readonly [string, string] = ['yes', 'no'],
  ): Pending[] {
    const g = this.graph;
    const yesIn: Pending[] = [];
    const noIn: Pending[] = [];
    const open: Pending[] = [];
    for (const p of ps) {
      const t = test(p.env);
      (t === true ? yesIn : t === false ? noIn : open).push(p);
    }
    const before = g.snapshot();
    let decision: string | undefined;
    if (open.length > 0) {
      decision = g.add('decision', label, line);
      g.connect(open, decision);
      const env = intersect(open);
      yesIn.push({ from: decision, label: labels[0], env });
      noIn.push({ from: decision, label: labels[1], env });
    }
    const mark = g.changes;
    const out = [...yes(yesIn), ...no(noIn)];
    if (decision !== undefined && g.changes === mark) {
      g.restore(before);
      const assigned = this.assigned(scope);
      return ps.map((p) => this.forget(p, assigned));
    }
    return out;
  }

  private forOf(s: ts.ForOfStatement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const before = this.expression(s.expression, ps);
    const items = this.iterable(s.expression, intersect(before));
    if (!items)
      return this.loop(s, `for each ${this.label(s.expression)}`, before, frames, { eachOf: s.initializer });
    // A constant array: one pass per element, the loop variables bound so names and branches evaluate.
    let current = before;
    const breaks: Pending[] = [];
    for (const item of items) {
      if (current.length === 0) break;
      const bound = current.map((p) => ({ ...p, env: this.bindTarget(p.env, s.initializer, item) }));
      const frame: Frame = { kind: 'loop', breaks: [], continues: [] };
      current = [...this.statement(s.statement, bound, [...frames, frame]), ...frame.continues];
      breaks.push(...frame.breaks);
    }
    return [...current, ...breaks];
  }

  /** A loop the reader does not unroll: a head node, the body, `again` edges back, a `done` exit. */
  private loop(
    s: ts.IterationStatement,
    label: string,
    ps: Pending[],
    frames: readonly Frame[],
    parts: {
      cond?: ts.Expression;
      incrementor?: ts.Expression;
      doWhile?: boolean;
      eachOf?: ts.ForInitializer;
    },
  ): Pending[] {
    const g = this.graph;
    const { cond, doWhile } = parts;
    const skip: Pending[] = [];
    const enter: Pending[] = [];
    for (const p of ps) {
      const t = cond && !doWhile ? truthiness(this.evaluate(cond, p.env)) : undefined;
      (t === false ? skip : enter).push(p);
    }
    if (enter.length === 0) return skip;
    const head = g.add('loop', collapse(label), this.line(s));
    g.connect(enter, head);
    const assigned = this.assigned(s);
    let headEnv: Env = this.forget({ from: head, env: intersect(enter) }, assigned).env;
    if (parts.eachOf) headEnv = this.bindTarget(headEnv, parts.eachOf, UNKNOWN);
    const exits: Pending[] = [];
    const exitLabel = (p: Pending): Pending => (p.from === head ? { ...p, label: 'done' } : p);
    let body: Pending[] = [{ from: head, env: headEnv }];
    if (parts.eachOf) exits.push({ from: head, label: 'done', env: headEnv });
    if (cond && !doWhile) {
      const tested = this.expression(cond, body);
      body = [];
      for (const p of tested) {
        const t = truthiness(this.evaluate(cond, p.env));
        if (t !== false) body.push(p);
        if (t !== true) exits.push(exitLabel(p));
      }
    }
    const frame: Frame = { kind: 'loop', breaks: [], continues: [] };
    let back = [...this.statement(s.statement, body, [...frames, frame]), ...frame.continues];
    if (parts.incrementor) back = this.expression(parts.incrementor, back);
    if (cond && doWhile) {
      const tested = this.expression(cond, back);
      back = [];
      for (const p of tested) {
        const t = truthiness(this.evaluate(cond, p.env));
        if (t !== false) back.push(p);
        if (t !== true) exits.push(p);
      }
    }
    g.connect(back, head, true);
    return [...skip, ...exits, ...frame.breaks];
  }

  private switchStatement(s: ts.SwitchStatement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const g = this.graph;
    const after = this.expression(s.expression, ps);
    const clauses = s.caseBlock.clauses;
    const caseValues = clauses.map((c) =>
      ts.isCaseClause(c) ? this.evaluate(c.expression, EMPTY) : UNKNOWN,
    );
    const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
    const routed: Pending[][] = clauses.map(() => []);
    const unmatched: Pending[] = [];
    const open: Pending[] = [];
    for (const p of after) {
      const v = this.evaluate(s.expression, p.env);
      const known =
        isKnownPrimitive(v) && caseValues.every((c, i) => i === defaultIndex || isKnownPrimitive(c));
      if (!known) open.push(p);
      else {
        const i = caseValues.findIndex((c, j) => j !== defaultIndex && c === v);
        const target = i >= 0 ? i : defaultIndex;
        (target >= 0 ? routed[target]! : unmatched).push(p);
      }
    }
    const before = g.snapshot();
    let decision: string | undefined;
    if (open.length > 0) {
      decision = g.add('decision', this.label(s.expression), this.line(s));
      g.connect(open, decision);
    }
    const env = intersect(open);
    const mark = g.changes;
    const frame: Frame = { kind: 'switch', breaks: [], continues: [] };
    let fallthrough: Pending[] = [];
    clauses.forEach((clause, i) => {
      const incoming = [...fallthrough, ...routed[i]!];
      if (decision)
        incoming.push({
          from: decision,
          label: ts.isCaseClause(clause) ? `case ${this.label(clause.expression)}` : 'default',
          env,
        });
      fallthrough = this.block(clause.statements, incoming, [...frames, frame]);
    });
    const out = [...fallthrough, ...frame.breaks, ...unmatched];
    if (decision && defaultIndex < 0) out.push({ from: decision, label: 'other', env });
    if (decision && g.changes === mark) {
      g.restore(before);
      const assigned = this.assigned(s);
      return after.map((p) => this.forget(p, assigned));
    }
    return out;
  }

  // ---- expressions ----------------------------------------------------------------------------------

  /** Draws the recognised calls of an expression in evaluation order; nested functions are not entered. */
  private expression(e: ts.Expression, ps: Pending[]): Pending[] {
    if (ps.length === 0) return ps;
    if (ts.isFunctionLike(e) || ts.isClassExpression(e)) return ps;
    if (ts.isCallExpression(e)) return this.call(e, ps);
    if (ts.isConditionalExpression(e)) {
      const after = this.expression(e.condition, ps);
      if (!this.hasCalls(e.whenTrue) && !this.hasCalls(e.whenFalse)) return after;
      return this.decide(
        this.label(e.condition),
        this.line(e),
        after,
        (env) => truthiness(this.evaluate(e.condition, env)),
        (yes) => this.expression(e.whenTrue, yes),
        (no) => this.expression(e.whenFalse, no),
        e,
      );
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        const after = this.expression(e.left, ps);
        if (!this.hasCalls(e.right)) return after;
        const and = op === ts.SyntaxKind.AmpersandAmpersandToken;
        return this.decide(
          this.label(e.left),
          this.line(e),
          after,
          (env) => truthiness(this.evaluate(e.left, env)),
          (yes) => (and ? this.expression(e.right, yes) : yes),
          (no) => (and ? no : this.expression(e.right, no)),
          e,
        );
      }
      if (op === ts.SyntaxKind.EqualsToken) {
        const after = this.expression(e.right, ps);
        const target = bare(e.left);
        return ts.isIdentifier(target)
          ? after.map((p) => ({ ...p, env: this.bind(p.env, target, this.evaluate(e.right, p.env)) }))
          : after;
      }
      if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) {
        const after = this.expression(e.right, ps);
        return after.map((p) => this.forget(p, this.assigned(e)));
      }
      return this.expression(e.right, this.expression(e.left, ps));
    }
    if (
      (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
      (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)
    )
      return ps.map((p) => this.forget(p, this.assigned(e)));
    let out = ps;
    ts.forEachChild(e, (child) => {
      if (ts.isExpression(child) || ts.isSpreadAssignment(child) || ts.isPropertyAssignment(child)) {
        out = this.expression(
          ts.isPropertyAssignment(child)
            ? child.initializer
            : ts.isSpreadAssignment(child)
              ? child.expression
              : child,
          out,
        );
      } else if (ts.isTemplateSpan(child) || ts.isShorthandPropertyAssignment(child)) {
        ts.forEachChild(child, (c) => {
          if (ts.isExpression(c)) out = this.expression(c, out);
        });
      }
    });
    return out;
  }

  private call(e: ts.CallExpression, ps: Pending[]): Pending[] {
    const api = this.api.of(e);
    const g = this.graph;
    const line = this.line(e);
    const args = e.arguments;
    if (api === 'step') {
      const [nameArg, fn] = args;
      return nameArg ? this.step(nameArg, fn, line, ps) : ps;
    }
    let after = api ? ps : this.expression(e.expression, ps);
    for (const arg of args) after = this.expression(arg, after);
    if (!api || api === 'patched' || api === 'journey' || after.length === 0) return after;
    const env = intersect(after);
    if (api.startsWith('send.')) {
      const sends = new Sends();
      this.recordSend(api, e, env, sends);
      const channels = sends.channels.length > 0 ? sends.channels : [api.slice(5)];
      const id = g.add('send', `send ${channels.join(' + ')}`, line, {
        channels,
        templates: sends.templates,
      });
      g.connect(after, id);
      return [{ from: id, env }];
    }
    if (api === 'sleep' || api === 'sleepUntil') {
      const [arg] = args;
      const label = !arg ? api : api === 'sleep' ? this.duration(arg, after) : `until ${this.label(arg)}`;
      const id = g.add('sleep', label, line);
      g.connect(after, id);
      return [{ from: id, env }];
    }
    if (api === 'waitFor') {
      const [events, options] = args;
      const names = events ? this.eventNames(events) : [];
      const id = g.add('wait', `${names.join(' or ')} ${this.waitLimit(options, after)}`.trim(), line);
      g.connect(after, id);
      // The result, per exit: an `if (!click)` further down then knows which way each exit goes.
      return [
        { from: id, label: 'received', env: withBinding(env, e, TRUTHY) },
        { from: id, label: 'timed out', env: withBinding(env, e, undefined) },
      ];
    }
    // split
    const [nameArg, armsArg, optionsArg] = args;
    const name = nameArg ? this.evaluate(nameArg, env) : UNKNOWN;
    const id = g.add(
      'split',
      typeof name === 'string' ? name : nameArg ? this.label(nameArg) : 'split',
      line,
    );
    g.connect(after, id);
    const arms = this.objectKeys(armsArg, env);
    const options = optionsArg ? this.evaluate(optionsArg, env) : undefined;
    const holdout = isRecord(options) && typeof options.holdout === 'number' ? options.holdout : 0;
    const out: Pending[] = arms.map((arm) => ({
      from: id,
      label: arm,
      arm: true,
      env: withBinding(env, e, arm),
    }));
    if (holdout > 0)
      out.push({ from: id, label: `holdout ${holdout}%`, arm: true, env: withBinding(env, e, 'holdout') });
    return out.length > 0 ? out : [{ from: id, env: withBinding(env, e, UNKNOWN) }];
  }

  /** `step(name, fn)`: a step node with what `fn` sends; a `?:` name is a decision between two steps. */
  private step(
    nameArg: ts.Expression,
    fn: ts.Expression | undefined,
    line: number,
    ps: Pending[],
  ): Pending[] {
    const name = bare(nameArg);
    if (ts.isConditionalExpression(name)) {
      return this.decide(
        this.label(name.condition),
        line,
        ps,
        (env) => truthiness(this.evaluate(name.condition, env)),
        (yes) => this.step(name.whenTrue, fn, line, yes),
        (no) => this.step(name.whenFalse, fn, line, no),
        name,
      );
    }
    const env = intersect(ps);
    const pattern = this.pattern(name, env);
    const sends = new Sends();
    const body = fn && this.functionOf(fn);
    if (body?.body) this.scanSends(body.body, env, sends);
    const id = this.graph.add('step', pattern.text, line, {
      step: pattern.text,
      stepPattern: `^${pattern.regex}$`,
      channels: sends.channels,
      templates: sends.templates,
    });
    this.graph.connect(ps, id);
    return [{ from: id, env }];
  }

  // ---- inside a step: what it sends --------------------------------------------------------------------

  /** Collects the sends of a step's callback; a branch known under the bindings is the only one read. */
  private scanSends(node: ts.Node, env: Env, sends: Sends): boolean {
    if (ts.isBlock(node)) {
      for (const s of node.statements) if (this.scanSends(s, env, sends)) return true;
      return false;
    }
    if (ts.isIfStatement(node)) {
      this.scanSends(node.expression, env, sends);
      const t = truthiness(this.evaluate(node.expression, env));
      const then = () => this.scanSends(node.thenStatement, env, sends);
      const otherwise = () => (node.elseStatement ? this.scanSends(node.elseStatement, env, sends) : false);
      if (t === true) return then();
      if (t === false) return otherwise();
      const a = then();
      const b = otherwise();
      return a && b;
    }
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (node.expression) this.scanSends(node.expression, env, sends);
      return true;
    }
    if (ts.isConditionalExpression(node)) {
      const t = truthiness(this.evaluate(node.condition, env));
      this.scanSends(node.condition, env, sends);
      if (t !== false) this.scanSends(node.whenTrue, env, sends);
      if (t !== true) this.scanSends(node.whenFalse, env, sends);
      return false;
    }
    if (ts.isCallExpression(node)) {
      const api = this.api.of(node);
      ts.forEachChild(node, (c) => void this.scanSends(c, env, sends));
      if (api?.startsWith('send.')) this.recordSend(api, node, env, sends);
      return false;
    }
    ts.forEachChild(node, (c) => void this.scanSends(c, env, sends));
    return false;
  }

  private recordSend(api: ApiName, call: ts.CallExpression, env: Env, sends: Sends): void {
    const method = api.slice(5);
    const [first] = call.arguments;
    const value = first ? this.evaluate(first, env) : UNKNOWN;
    if (method === 'via') {
      if (typeof value === 'string') sends.channel(value);
      return;
    }
    sends.channel(method);
    if (method === 'email' && typeof value === 'string') sends.template(value);
  }

  // ---- labels ------------------------------------------------------------------------------------------

  /** A duration as the code gives it: the value on every path (`15 minutes or 1 hour`), else the code. */
  private duration(arg: ts.Expression, ps: readonly Pending[]): string {
    const values = ps.map((p) => this.evaluate(arg, p.env));
    if (values.every((v) => typeof v === 'string' || typeof v === 'number'))
      return [...new Set(values.map((v) => (typeof v === 'number' ? `${v} ms` : String(v))))].join(' or ');
    return this.label(arg);
  }

  private waitLimit(options: ts.Expression | undefined, ps: readonly Pending[]): string {
    const literal = this.objectLiteral(options);
    for (const p of literal?.properties ?? []) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = this.propertyName(p.name);
      if (key === 'within') return `within ${this.duration(p.initializer, ps)}`;
      if (key === 'until') return `until ${this.label(p.initializer)}`;
    }
    return options ? this.label(options) : '';
  }

  /** A step name: its value, or a readable pattern (`tier-up-{next.name}`) and a regex for the unknown parts. */
  private pattern(expr: ts.Expression, env: Env): { text: string; regex: string } {
    const e = bare(expr);
    const value = this.evaluate(e, env);
    if (typeof value === 'string' || typeof value === 'number')
      return { text: String(value), regex: escapeRegExp(String(value)) };
    if (ts.isTemplateExpression(e)) {
      let text = e.head.text;
      let regex = escapeRegExp(e.head.text);
      for (const span of e.templateSpans) {
        const part = this.pattern(span.expression, env);
        text += part.text + span.literal.text;
        regex += part.regex + escapeRegExp(span.literal.text);
      }
      return { text, regex };
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.pattern(e.left, env);
      const right = this.pattern(e.right, env);
      return { text: left.text + right.text, regex: left.regex + right.regex };
    }
    return { text: `{${collapse(this.source(e))}}`, regex: '.+' };
  }

  private label(node: ts.Node): string {
    return collapse(this.source(node));
  }

  /** A node's code as written; compiled code's `(0, workflow_1.journeyNow)()` reads `journeyNow()`. */
  private source(node: ts.Node): string {
    const text = node.getText(this.sf);
    if (!/\.[cm]?js$/.test(this.sf.fileName)) return text;
    return text.replace(/\(0,\s*(?:\w+_\d+\.)+(\w+)\)/g, '$1').replace(/\b\w+_\d+\.(?=[A-Za-z_$])/g, '');
  }

  private line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  private relativeFile(): string {
    return path.relative(process.cwd(), this.sf.fileName) || this.sf.fileName;
  }

  // ---- events, options, functions ------------------------------------------------------------------------

  /** Event types named by an expression: a definition, or an array of them. */
  private eventNames(expr: ts.Expression): string[] {
    const e = bare(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => this.eventNames(el));
    const type = this.checker.getTypeAtLocation(e);
    const nameSymbol = type.getProperty('name');
    if (nameSymbol) {
      const nameType = this.checker.getTypeOfSymbolAtLocation(nameSymbol, e);
      if (nameType.isStringLiteral()) return [nameType.value];
    }
    // Compiled code without declarations: the `defineEvent('order.placed', …)` it was made with.
    const init = this.initializer(e);
    if (init && ts.isCallExpression(init)) {
      const [first] = init.arguments;
      if (first && ts.isStringLiteralLike(first)) return [first.text];
    }
    return [this.label(e)];
  }

  private objectLiteral(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    if (!expr) return undefined;
    const e = bare(expr);
    if (ts.isObjectLiteralExpression(e)) return e;
    const init = this.initializer(e);
    return init && ts.isObjectLiteralExpression(bare(init))
      ? (bare(init) as ts.ObjectLiteralExpression)
      : undefined;
  }

  private objectKeys(expr: ts.Expression | undefined, env: Env): string[] {
    if (!expr) return [];
    const literal = this.objectLiteral(expr);
    if (literal)
      return literal.properties.flatMap((p) => {
        const key = p.name && this.propertyName(p.name);
        return key !== undefined ? [key] : [];
      });
    const value = this.evaluate(expr, env);
    return isRecord(value) ? Object.keys(value) : [];
  }

  private propertyName(name: ts.PropertyName): string | undefined {
    if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
      const v = this.evaluate(name.expression, EMPTY);
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    }
    return undefined;
  }

  private functionOf(expr: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
    if (!expr) return undefined;
    const e = bare(expr);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
    const symbol = ts.isIdentifier(e) ? this.api.target(this.checker.getSymbolAtLocation(e)) : undefined;
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    const init = this.initializer(e);
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  }

  /** The expression a name was declared with: `const x = …`, or compiled code's `exports.x = …`. */
  private initializer(expr: ts.Expression): ts.Expression | undefined {
    const e = bare(expr);
    if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
    const symbol = this.api.target(
      this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e),
    );
    for (const d of symbol?.declarations ?? []) {
      if (ts.isVariableDeclaration(d) && d.initializer) return bare(d.initializer);
      const assignment = ts.isBinaryExpression(d)
        ? d
        : d.parent && ts.isBinaryExpression(d.parent)
          ? d.parent
          : undefined;
      if (assignment && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken)
        return bare(assignment.right);
    }
    return undefined;
  }

  // ---- evaluation ------------------------------------------------------------------------------------

  private evaluate(expr: ts.Expression, env: Env): Value {
    if (env.has(expr)) return env.get(expr);
    const e = bare(expr);
    if (e !== expr && env.has(e)) return env.get(e);
    if (ts.isStringLiteralLike(e)) return e.text;
    if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
    if (KEYWORD_VALUES.has(e.kind)) return KEYWORD_VALUES.get(e.kind);
    if (ts.isIdentifier(e)) {
      if (e.text === 'undefined') return undefined;
      const symbol = this.checker.getSymbolAtLocation(e);
      if (symbol && env.has(symbol)) return env.get(symbol);
      return this.constValue(symbol);
    }
    if (ts.isAwaitExpression(e)) return this.evaluate(e.expression, env);
    if (ts.isTemplateExpression(e)) {
      let text = e.head.text;
      for (const span of e.templateSpans) {
        const v = this.evaluate(span.expression, env);
        if (!['string', 'number', 'boolean'].includes(typeof v)) return UNKNOWN;
        text += String(v) + span.literal.text;
      }
      return text;
    }
    if (ts.isPrefixUnaryExpression(e)) {
      const v = this.evaluate(e.operand, env);
      if (e.operator === ts.SyntaxKind.ExclamationToken) {
        const t = truthiness(v);
        return t === undefined ? UNKNOWN : !t;
      }
      if (typeof v !== 'number') return UNKNOWN;
      return e.operator === ts.SyntaxKind.MinusToken
        ? -v
        : e.operator === ts.SyntaxKind.PlusToken
          ? v
          : UNKNOWN;
    }
    if (ts.isBinaryExpression(e)) return this.binary(e, env);
    if (ts.isConditionalExpression(e)) {
      const t = truthiness(this.evaluate(e.condition, env));
      return t === undefined ? UNKNOWN : this.evaluate(t ? e.whenTrue : e.whenFalse, env);
    }
    if (ts.isPropertyAccessExpression(e)) {
      const object = this.evaluate(e.expression, env);
      if ((object === null || object === undefined) && e.questionDotToken) return undefined;
      const key = e.name.text;
      if ((Array.isArray(object) || typeof object === 'string') && key === 'length') return object.length;
      if (isRecord(object)) return Object.hasOwn(object, key) ? object[key] : undefined;
      // Compiled code reads its own exports as `exports.X`.
      return object === UNKNOWN ? this.constValue(this.checker.getSymbolAtLocation(e.name), true) : UNKNOWN;
    }
    if (ts.isElementAccessExpression(e)) {
      const object = this.evaluate(e.expression, env);
      const index = this.evaluate(e.argumentExpression, env);
      if (Array.isArray(object) && typeof index === 'number')
        return index in object ? (object[index] as Value) : undefined;
      if (isRecord(object) && typeof index === 'string')
        return Object.hasOwn(object, index) ? object[index] : undefined;
      return UNKNOWN;
    }
    if (ts.isCallExpression(e)) return this.api.of(e) === 'patched' ? true : UNKNOWN;
    if (ts.isArrayLiteralExpression(e)) {
      if (e.elements.some((el) => ts.isSpreadElement(el))) return UNKNOWN;
      return e.elements.map((el) => this.evaluate(el, env));
    }
    if (ts.isObjectLiteralExpression(e)) {
      const object: Record<string, Value> = {};
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p)) return UNKNOWN;
        const key = p.name && this.propertyName(p.name);
        if (key === undefined) return UNKNOWN;
        if (ts.isPropertyAssignment(p)) object[key] = this.evaluate(p.initializer, env);
        else if (ts.isShorthandPropertyAssignment(p)) object[key] = this.evaluate(p.name, env);
        else object[key] = UNKNOWN;
      }
      return object;
    }
    return UNKNOWN;
  }

  private binary(e: ts.BinaryExpression, env: Env): Value {
    const op = e.operatorToken.kind;
    const left = this.evaluate(e.left, env);
    const lt = truthiness(left);
    // Short-circuits first: the right side is only read when it decides.
    if (op === ts.SyntaxKind.AmpersandAmpersandToken)
      return lt === false ? left : lt === true ? this.evaluate(e.right, env) : UNKNOWN;
    if (op === ts.SyntaxKind.BarBarToken) {
      if (lt !== undefined) return lt ? left : this.evaluate(e.right, env);
      return truthiness(this.evaluate(e.right, env)) === true ? TRUTHY : UNKNOWN;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken)
      return left === UNKNOWN || (left !== null && left !== undefined) ? left : this.evaluate(e.right, env);
    if (op === ts.SyntaxKind.CommaToken) return this.evaluate(e.right, env);
    const right = this.evaluate(e.right, env);
    const equality = EQUALITY.get(op);
    if (equality) {
      const equal = equals(left, right, equality.loose);
      return equal === undefined ? UNKNOWN : equality.negate ? !equal : equal;
    }
    const arithmetic = ARITHMETIC.get(op);
    if (arithmetic && typeof left === 'number' && typeof right === 'number') return arithmetic(left, right);
    const text = (v: Value) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    if (op === ts.SyntaxKind.PlusToken && text(left) && text(right)) return `${String(left)}${String(right)}`;
    return UNKNOWN;
  }

  /**
   * A constant's value: a `const` declared with a value the evaluator reads (in any file the checker can
   * reach), or, for a declaration file, its literal type (`readonly ["10%", "15%"]`).
   */
  private constValue(symbol: ts.Symbol | undefined, exportsOnly = false): Value {
    const target = this.api.target(symbol);
    if (!target || this.evaluating.has(target)) return UNKNOWN;
    this.evaluating.add(target);
    try {
      for (const d of target.declarations ?? []) {
        if (ts.isVariableDeclaration(d) && !exportsOnly) {
          const isConst = (ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) !== 0;
          if (isConst && d.initializer && ts.isIdentifier(d.name)) return this.evaluate(d.initializer, EMPTY);
          if (isConst && d.getSourceFile().isDeclarationFile)
            return this.typeValue(this.checker.getTypeOfSymbol(target), 0);
        }
        const assignment = ts.isBinaryExpression(d)
          ? d
          : d.parent && ts.isBinaryExpression(d.parent)
            ? d.parent
            : undefined;
        if (
          assignment &&
          assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          /^exports\./.test(assignment.left.getText())
        )
          return this.evaluate(assignment.right, EMPTY);
      }
      return UNKNOWN;
    } finally {
      this.evaluating.delete(target);
    }
  }

  private typeValue(type: ts.Type, depth: number): Value {
    if (depth > 6) return UNKNOWN;
    if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
    if (type.flags & ts.TypeFlags.BooleanLiteral) return this.checker.typeToString(type) === 'true';
    if (type.flags & ts.TypeFlags.Null) return null;
    if (type.flags & ts.TypeFlags.Undefined) return undefined;
    if (this.checker.isTupleType(type))
      return this.checker.getTypeArguments(type as ts.TypeReference).map((t) => this.typeValue(t, depth + 1));
    if (
      type.flags & ts.TypeFlags.Object &&
      type.getCallSignatures().length === 0 &&
      !this.checker.isArrayType(type)
    ) {
      const object: Record<string, Value> = {};
      for (const p of type.getProperties())
        object[p.name] = this.typeValue(this.checker.getTypeOfSymbol(p), depth + 1);
      return object;
    }
    return UNKNOWN;
  }

  /** The elements a `for…of` walks when they are constant: an array, its `.entries()`, any `.slice(…)` of it. */
  private iterable(expr: ts.Expression, env: Env): readonly Value[] | undefined {
    const e = bare(expr);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const method = e.expression.name.text;
      const base = this.iterable(e.expression.expression, env);
      // All of a slice: which elements it keeps is decided at run time (payment-reminder skips missed ones).
      if (method === 'slice') return base;
      if (method === 'entries' && e.arguments.length === 0) return base?.map((v, i) => [i, v]);
      return undefined;
    }
    const value = this.evaluate(e, env);
    return Array.isArray(value) && value.length <= MAX_UNROLL ? value : undefined;
  }

  // ---- bindings --------------------------------------------------------------------------------------

  private bind(env: Env, name: ts.BindingName, value: Value): Env {
    if (ts.isIdentifier(name)) {
      const symbol = this.checker.getSymbolAtLocation(name);
      return symbol ? withBinding(env, symbol, value) : env;
    }
    let next = env;
    name.elements.forEach((element, i) => {
      if (ts.isOmittedExpression(element)) return;
      let v: Value = UNKNOWN;
      if (ts.isArrayBindingPattern(name) && Array.isArray(value) && !element.dotDotDotToken) v = value[i];
      if (ts.isObjectBindingPattern(name) && isRecord(value)) {
        const key = element.propertyName
          ? this.propertyName(element.propertyName)
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined;
        if (key !== undefined) v = value[key];
      }
      if (v === undefined && element.initializer) v = this.evaluate(element.initializer, next);
      next = this.bind(next, element.name, v);
    });
    return next;
  }

  private bindTarget(env: Env, target: ts.ForInitializer, value: Value): Env {
    if (ts.isVariableDeclarationList(target))
      return target.declarations.reduce((acc, d) => this.bind(acc, d.name, value), env);
    const id = bare(target);
    return ts.isIdentifier(id) ? this.bind(env, id, value) : env;
  }

  /** Symbols a piece of code may assign: what a loop or an untaken branch leaves unknown. */
  private assigned(node: ts.Node): ReadonlySet<ts.Symbol> {
    let found = this.assignedCache.get(node);
    if (found) return found;
    const symbols = new Set<ts.Symbol>();
    const add = (target: ts.Node) => {
      const t = ts.isExpression(target) ? bare(target) : target;
      if (ts.isIdentifier(t)) {
        const symbol = this.checker.getSymbolAtLocation(t);
        if (symbol) symbols.add(symbol);
      } else ts.forEachChild(t, add);
    };
    const visit = (n: ts.Node): void => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      )
        add(n.left);
      if (
        (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
      )
        add(n.operand);
      if (ts.isVariableDeclaration(n)) add(n.name);
      ts.forEachChild(n, visit);
    };
    visit(node);
    found = symbols;
    this.assignedCache.set(node, found);
    return found;
  }

  private forget(p: Pending, symbols: ReadonlySet<ts.Symbol>): Pending {
    if (![...symbols].some((s) => p.env.has(s) && p.env.get(s) !== UNKNOWN)) return p;
    const env = new Map(p.env);
    for (const s of symbols) env.set(s, UNKNOWN);
    return { ...p, env };
  }

  private hasCalls(node: ts.Node): boolean {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isCallExpression(node)) return true;
    return ts.forEachChild(node, (c) => this.hasCalls(c) || undefined) === true;
  }
}

/** Channels and templates of a step, unique, in code order. */
class Sends {
  readonly channels: string[] = [];
  readonly templates: string[] = [];

  channel(name: string): void {
    if (!this.channels.includes(name)) this.channels.push(name);
  }

  template(name: string): void {
    if (!this.templates.includes(name)) this.templates.push(name);
  }
}
