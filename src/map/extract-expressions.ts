/**
 * Reading a journey's expressions: the authoring calls in them, in evaluation order, drawn as step, send,
 * sleep, wait and split nodes, and the short-circuits and conditionals that branch between them.
 */
import ts from 'typescript';
import { decide } from './extract-decide';
import { intersect, type Pending } from './extract-graph';
import type { Reading } from './extract-reading';
import { Sends } from './extract-sends';
import { bare, hasCalls } from './extract-syntax';
import { type Env, isRecord, TRUTHY, truthiness, UNKNOWN, withBinding } from './extract-values';

/** Draws the expressions of one journey into its graph. */
export class ExpressionReader {
  constructor(private readonly r: Reading) {}

  /** Draws the recognised calls of an expression in evaluation order; nested functions are not entered. */
  read(e: ts.Expression, ps: Pending[]): Pending[] {
    const { bindings, labels, values } = this.r;
    if (ps.length === 0) return ps;
    if (ts.isFunctionLike(e) || ts.isClassExpression(e)) return ps;
    if (ts.isCallExpression(e)) return this.call(e, ps);
    if (ts.isConditionalExpression(e)) {
      const after = this.read(e.condition, ps);
      if (!hasCalls(e.whenTrue) && !hasCalls(e.whenFalse)) return after;
      return decide(this.r, after, {
        label: labels.label(e.condition),
        line: labels.line(e),
        test: (env) => truthiness(values.evaluate(e.condition, env)),
        yes: (yes) => this.read(e.whenTrue, yes),
        no: (no) => this.read(e.whenFalse, no),
        scope: e,
      });
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        const after = this.read(e.left, ps);
        if (!hasCalls(e.right)) return after;
        const and = op === ts.SyntaxKind.AmpersandAmpersandToken;
        return decide(this.r, after, {
          label: labels.label(e.left),
          line: labels.line(e),
          test: (env) => truthiness(values.evaluate(e.left, env)),
          yes: (yes) => (and ? this.read(e.right, yes) : yes),
          no: (no) => (and ? no : this.read(e.right, no)),
          scope: e,
        });
      }
      if (op === ts.SyntaxKind.EqualsToken) {
        const after = this.read(e.right, ps);
        const target = bare(e.left);
        return ts.isIdentifier(target)
          ? after.map((p) => ({ ...p, env: bindings.bind(p.env, target, values.evaluate(e.right, p.env)) }))
          : after;
      }
      if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) {
        const after = this.read(e.right, ps);
        return after.map((p) => bindings.forget(p, bindings.assigned(e)));
      }
      return this.read(e.right, this.read(e.left, ps));
    }
    if (
      (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
      (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)
    )
      return ps.map((p) => bindings.forget(p, bindings.assigned(e)));
    let out = ps;
    ts.forEachChild(e, (child) => {
      if (ts.isExpression(child) || ts.isSpreadAssignment(child) || ts.isPropertyAssignment(child)) {
        out = this.read(
          ts.isPropertyAssignment(child)
            ? child.initializer
            : ts.isSpreadAssignment(child)
              ? child.expression
              : child,
          out,
        );
      } else if (ts.isTemplateSpan(child) || ts.isShorthandPropertyAssignment(child)) {
        ts.forEachChild(child, (c) => {
          if (ts.isExpression(c)) out = this.read(c, out);
        });
      }
    });
    return out;
  }

  private call(e: ts.CallExpression, ps: Pending[]): Pending[] {
    const { graph: g, labels, values } = this.r;
    const api = this.r.api.of(e);
    const line = labels.line(e);
    const args = e.arguments;
    if (api === 'step') {
      const [nameArg, fn] = args;
      return nameArg ? this.step(nameArg, fn, line, ps) : ps;
    }
    let after = api ? ps : this.read(e.expression, ps);
    for (const arg of args) after = this.read(arg, after);
    if (!api || api === 'patched' || api === 'journey' || after.length === 0) return after;
    const env = intersect(after);
    if (api.startsWith('send.')) {
      const sends = new Sends();
      this.r.sends.record(api, e, env, sends);
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
      const label = !arg ? api : api === 'sleep' ? labels.duration(arg, after) : `until ${labels.label(arg)}`;
      const id = g.add('sleep', label, line);
      g.connect(after, id);
      return [{ from: id, env }];
    }
    if (api === 'waitFor') {
      const [events, options] = args;
      const names = events ? labels.eventNames(events) : [];
      const id = g.add('wait', `${names.join(' or ')} ${labels.waitLimit(options, after)}`.trim(), line);
      g.connect(after, id);
      // The result, per exit: an `if (!click)` further down then knows which way each exit goes.
      return [
        { from: id, label: 'received', env: withBinding(env, e, TRUTHY) },
        { from: id, label: 'timed out', env: withBinding(env, e, undefined) },
      ];
    }
    // split
    const [nameArg, armsArg, optionsArg] = args;
    const name = nameArg ? values.evaluate(nameArg, env) : UNKNOWN;
    const id = g.add(
      'split',
      typeof name === 'string' ? name : nameArg ? labels.label(nameArg) : 'split',
      line,
    );
    g.connect(after, id);
    const arms = this.objectKeys(armsArg, env);
    const options = optionsArg ? values.evaluate(optionsArg, env) : undefined;
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
    const { labels, values } = this.r;
    const name = bare(nameArg);
    if (ts.isConditionalExpression(name)) {
      return decide(this.r, ps, {
        label: labels.label(name.condition),
        line,
        test: (env) => truthiness(values.evaluate(name.condition, env)),
        yes: (yes) => this.step(name.whenTrue, fn, line, yes),
        no: (no) => this.step(name.whenFalse, fn, line, no),
        scope: name,
      });
    }
    const env = intersect(ps);
    const pattern = labels.pattern(name, env);
    const sends = new Sends();
    const body = fn && this.r.declarations.functionOf(fn);
    if (body?.body) this.r.sends.scan(body.body, env, sends);
    const id = this.r.graph.add('step', pattern.text, line, {
      step: pattern.text,
      stepPattern: `^${pattern.regex}$`,
      channels: sends.channels,
      templates: sends.templates,
    });
    this.r.graph.connect(ps, id);
    return [{ from: id, env }];
  }

  /** The arms of a split: the keys of its arms object, as written or as evaluated. */
  private objectKeys(expr: ts.Expression | undefined, env: Env): string[] {
    if (!expr) return [];
    const literal = this.r.declarations.objectLiteral(expr);
    if (literal)
      return literal.properties.flatMap((p) => {
        const key = p.name && this.r.values.propertyName(p.name);
        return key !== undefined ? [key] : [];
      });
    const value = this.r.values.evaluate(expr, env);
    return isRecord(value) ? Object.keys(value) : [];
  }
}
