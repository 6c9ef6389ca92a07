/**
 * Syntax questions the journey reader asks of any expression, whatever it means: the expression under
 * what does not change its value, and whether it calls anything at all.
 */
import ts from 'typescript';

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function bare(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
      e = e.expression;
    else if (ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

/** Whether code makes a call of its own; nested functions are not entered. */
export function hasCalls(node: ts.Node): boolean {
  if (ts.isFunctionLike(node)) return false;
  if (ts.isCallExpression(node)) return true;
  return ts.forEachChild(node, (c) => hasCalls(c) || undefined) === true;
}
