/**
 * The words on a journey map's nodes and edges, taken from the code: values where they are known (a
 * step's name, a sleep's duration, an event's type), else the code as written, shortened to a label.
 */
import path from 'node:path';
import ts from 'typescript';
import type { Declarations } from './extract-declarations';
import type { Evaluator } from './extract-evaluate';
import type { Pending } from './extract-graph';
import { bare } from './extract-syntax';
import type { Env } from './extract-values';

const LABEL_MAX = 60;

/** Code on one line, cut to a label's length. */
export function collapse(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > LABEL_MAX ? `${flat.slice(0, LABEL_MAX - 1).trimEnd()}…` : flat;
}

/** Regex escaping as the path map (src/reporting/paths.ts) does it, so literal step patterns compare equal. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Labels from one journey file's code. */
export class Labels {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly sf: ts.SourceFile,
    private readonly values: Evaluator,
    private readonly declarations: Declarations,
  ) {}

  /** A duration as the code gives it: the value on every path (`15 minutes or 1 hour`), else the code. */
  duration(arg: ts.Expression, ps: readonly Pending[]): string {
    const values = ps.map((p) => this.values.evaluate(arg, p.env));
    if (values.every((v) => typeof v === 'string' || typeof v === 'number'))
      return [...new Set(values.map((v) => (typeof v === 'number' ? `${v} ms` : String(v))))].join(' or ');
    return this.label(arg);
  }

  /** A wait's limit: `within` a duration or `until` a time, from its options. */
  waitLimit(options: ts.Expression | undefined, ps: readonly Pending[]): string {
    const literal = this.declarations.objectLiteral(options);
    for (const p of literal?.properties ?? []) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = this.values.propertyName(p.name);
      if (key === 'within') return `within ${this.duration(p.initializer, ps)}`;
      if (key === 'until') return `until ${this.label(p.initializer)}`;
    }
    return options ? this.label(options) : '';
  }

  /** A step name: its value, or a readable pattern (`tier-up-{next.name}`) and a regex for the unknown parts. */
  pattern(expr: ts.Expression, env: Env): { text: string; regex: string } {
    const e = bare(expr);
    const value = this.values.evaluate(e, env);
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

  /** Event types named by an expression: a definition, or an array of them. */
  eventNames(expr: ts.Expression): string[] {
    const e = bare(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => this.eventNames(el));
    const type = this.checker.getTypeAtLocation(e);
    const nameSymbol = type.getProperty('name');
    if (nameSymbol) {
      const nameType = this.checker.getTypeOfSymbolAtLocation(nameSymbol, e);
      if (nameType.isStringLiteral()) return [nameType.value];
    }
    // Compiled code without declarations: the `defineEvent('order.placed', …)` it was made with.
    const init = this.declarations.initializer(e);
    if (init && ts.isCallExpression(init)) {
      const [first] = init.arguments;
      if (first && ts.isStringLiteralLike(first)) return [first.text];
    }
    return [this.label(e)];
  }

  /** A node's code as a label. */
  label(node: ts.Node): string {
    return collapse(this.source(node));
  }

  /** A node's code as written; compiled code's `(0, workflow_1.journeyNow)()` reads `journeyNow()`. */
  source(node: ts.Node): string {
    const text = node.getText(this.sf);
    if (!/\.[cm]?js$/.test(this.sf.fileName)) return text;
    return text.replace(/\(0,\s*(?:\w+_\d+\.)+(\w+)\)/g, '$1').replace(/\b\w+_\d+\.(?=[A-Za-z_$])/g, '');
  }

  /** A node's 1-based line in the journey's file. */
  line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  /** The journey's file, relative to the working directory. */
  relativeFile(): string {
    return path.relative(process.cwd(), this.sf.fileName) || this.sf.fileName;
  }
}
