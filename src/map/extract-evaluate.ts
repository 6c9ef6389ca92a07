/**
 * A small evaluator of a journey's constants: literals, `const`s in any file the checker reaches (or their
 * literal types in declaration files), and the operators between them. It answers `UNKNOWN` when it cannot
 * tell, so the map draws a decision there instead of guessing.
 */
import ts from 'typescript';
import type { Api } from './extract-calls';
import { bare } from './extract-syntax';
import { EMPTY, type Env, equals, isRecord, TRUTHY, truthiness, UNKNOWN, type Value } from './extract-values';

/** Unrolling stops here: a longer constant array is drawn as a loop. */
const MAX_UNROLL = 24;

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

/** Evaluates one journey's expressions under the bindings of a path. */
export class Evaluator {
  /** Constants being evaluated: a constant defined in terms of itself is `UNKNOWN`, not a stack overflow. */
  private readonly evaluating = new Set<ts.Symbol>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly api: Api,
  ) {}

  /** An expression's value on a path whose bindings are `env`. */
  evaluate(expr: ts.Expression, env: Env): Value {
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

  /** A property's name: as written, or a computed one whose value is known. */
  propertyName(name: ts.PropertyName): string | undefined {
    if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
      const v = this.evaluate(name.expression, EMPTY);
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    }
    return undefined;
  }

  /** The elements a `for…of` walks when they are constant: an array, its `.entries()`, any `.slice(…)` of it. */
  iterable(expr: ts.Expression, env: Env): readonly Value[] | undefined {
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
}
