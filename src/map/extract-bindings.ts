/**
 * What a path knows of its variables: binding a declaration's value (destructuring included), and
 * forgetting what a loop or an untaken branch may have assigned.
 */
import ts from 'typescript';
import type { Evaluator } from './extract-evaluate';
import type { Pending } from './extract-graph';
import { bare } from './extract-syntax';
import { type Env, isRecord, UNKNOWN, type Value, withBinding } from './extract-values';

/** Bindings of one journey's variables, and the symbols each piece of its code may assign (cached). */
export class Bindings {
  private readonly assignedCache = new Map<ts.Node, ReadonlySet<ts.Symbol>>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly values: Evaluator,
  ) {}

  /** Binds a declared name, or each name of a destructuring pattern, to its part of `value`. */
  bind(env: Env, name: ts.BindingName, value: Value): Env {
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
          ? this.values.propertyName(element.propertyName)
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined;
        if (key !== undefined) v = value[key];
      }
      if (v === undefined && element.initializer) v = this.values.evaluate(element.initializer, next);
      next = this.bind(next, element.name, v);
    });
    return next;
  }

  /** Binds a `for…of` or `for…in` target: a declaration list or a variable assigned to. */
  bindTarget(env: Env, target: ts.ForInitializer, value: Value): Env {
    if (ts.isVariableDeclarationList(target))
      return target.declarations.reduce((acc, d) => this.bind(acc, d.name, value), env);
    const id = bare(target);
    return ts.isIdentifier(id) ? this.bind(env, id, value) : env;
  }

  /** Symbols a piece of code may assign: what a loop or an untaken branch leaves unknown. */
  assigned(node: ts.Node): ReadonlySet<ts.Symbol> {
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

  /** The path with `symbols` unknown again. */
  forget(p: Pending, symbols: ReadonlySet<ts.Symbol>): Pending {
    if (![...symbols].some((s) => p.env.has(s) && p.env.get(s) !== UNKNOWN)) return p;
    const env = new Map(p.env);
    for (const s of symbols) env.set(s, UNKNOWN);
    return { ...p, env };
  }
}
