/**
 * Following a name to the code it was declared with: the journey's options object, a step's callback, the
 * `defineEvent(…)` call of an event, whether written inline, as a `const`, or as compiled `exports.x = …`.
 */
import ts from 'typescript';
import type { Api } from './extract-calls';
import { bare } from './extract-syntax';

/** Finds the code a name stands for, through imports. */
export class Declarations {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly api: Api,
  ) {}

  /** The expression a name was declared with: `const x = …`, or compiled code's `exports.x = …`. */
  initializer(expr: ts.Expression): ts.Expression | undefined {
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

  /** An object literal, written in place or declared under a name. */
  objectLiteral(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    if (!expr) return undefined;
    const e = bare(expr);
    if (ts.isObjectLiteralExpression(e)) return e;
    const init = this.initializer(e);
    return init && ts.isObjectLiteralExpression(bare(init))
      ? (bare(init) as ts.ObjectLiteralExpression)
      : undefined;
  }

  /** A function: an arrow or function expression in place, or a function declared under a name. */
  functionOf(expr: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
    if (!expr) return undefined;
    const e = bare(expr);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
    const symbol = ts.isIdentifier(e) ? this.api.target(this.checker.getSymbolAtLocation(e)) : undefined;
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    const init = this.initializer(e);
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
  }
}
