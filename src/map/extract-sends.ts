/**
 * What a step sends: the `send.*` calls in its callback, the channels they use and the email templates
 * they name, reading only the branch a known binding takes.
 */
import ts from 'typescript';
import type { Api, ApiName } from './extract-calls';
import type { Evaluator } from './extract-evaluate';
import { type Env, truthiness, UNKNOWN } from './extract-values';

/** Channels and templates of a step, unique, in code order. */
export class Sends {
  readonly channels: string[] = [];
  readonly templates: string[] = [];

  channel(name: string): void {
    if (!this.channels.includes(name)) this.channels.push(name);
  }

  template(name: string): void {
    if (!this.templates.includes(name)) this.templates.push(name);
  }
}

/** Reads the sends of steps' callbacks. */
export class SendScanner {
  constructor(
    private readonly api: Api,
    private readonly values: Evaluator,
  ) {}

  /**
   * Collects the sends of a step's callback; a branch known under the bindings is the only one read.
   * Returns whether the code always leaves (returns or throws) before what follows it.
   */
  scan(node: ts.Node, env: Env, sends: Sends): boolean {
    if (ts.isBlock(node)) {
      for (const s of node.statements) if (this.scan(s, env, sends)) return true;
      return false;
    }
    if (ts.isIfStatement(node)) {
      this.scan(node.expression, env, sends);
      const t = truthiness(this.values.evaluate(node.expression, env));
      const then = () => this.scan(node.thenStatement, env, sends);
      const otherwise = () => (node.elseStatement ? this.scan(node.elseStatement, env, sends) : false);
      if (t === true) return then();
      if (t === false) return otherwise();
      const a = then();
      const b = otherwise();
      return a && b;
    }
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      if (node.expression) this.scan(node.expression, env, sends);
      return true;
    }
    if (ts.isConditionalExpression(node)) {
      const t = truthiness(this.values.evaluate(node.condition, env));
      this.scan(node.condition, env, sends);
      if (t !== false) this.scan(node.whenTrue, env, sends);
      if (t !== true) this.scan(node.whenFalse, env, sends);
      return false;
    }
    if (ts.isCallExpression(node)) {
      const api = this.api.of(node);
      ts.forEachChild(node, (c) => void this.scan(c, env, sends));
      if (api?.startsWith('send.')) this.record(api, node, env, sends);
      return false;
    }
    ts.forEachChild(node, (c) => void this.scan(c, env, sends));
    return false;
  }

  /** One `send.*` call: its channel (`send.via`'s when known), and an email's template when known. */
  record(api: ApiName, call: ts.CallExpression, env: Env, sends: Sends): void {
    const method = api.slice(5);
    const [first] = call.arguments;
    const value = first ? this.values.evaluate(first, env) : UNKNOWN;
    if (method === 'via') {
      if (typeof value === 'string') sends.channel(value);
      return;
    }
    sends.channel(method);
    if (method === 'email' && typeof value === 'string') sends.template(value);
  }
}
