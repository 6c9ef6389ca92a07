/**
 * Recognising the authoring API in a journey's code: which call is a `journey`, `step`, `sleep`,
 * `waitFor`, `split`, `patched` or `send.*`, resolved through imports so that a look-alike of your own is
 * not mistaken for one.
 */
import ts from 'typescript';
import { bare } from './extract-syntax';

/** An authoring call the map knows; a `send` method is named after it (`send.email`, `send.via`). */
export type ApiName =
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

/** Tells authoring calls apart, with the checker of the program the journeys were compiled in. */
export class Api {
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
      // `send`'s methods are declared on its interface (`Send`), or on its object literal.
      if (ts.isInterfaceDeclaration(declaration.parent) && declaration.parent.name.text === 'Send')
        return `send.${target.name}`;
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

  /** The symbol an import stands for; `undefined` when it leads to no declaration the map read. */
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
