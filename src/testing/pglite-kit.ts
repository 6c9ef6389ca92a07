import type { createPgliteProfileSource as CreatePglite, PgliteProfileSource } from '../profile/pglite';

/**
 * Opens the kit's PGlite database (`profiles: 'sql' | 'demo'`), loaded only then: PGlite fetches its
 * WebAssembly with a dynamic `import()`, which jest allows only under `--experimental-vm-modules`. Without the
 * flag this says so, instead of the VM's own error.
 */
export async function openPglite(seed: boolean): Promise<PgliteProfileSource> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a test asks for SQL
    const { createPgliteProfileSource } = require('../profile/pglite') as {
      createPgliteProfileSource: typeof CreatePglite;
    };
    return await createPgliteProfileSource({ seed });
  } catch (err) {
    const text = `${(err as { code?: string }).code ?? ''} ${err instanceof Error ? err.message : String(err)}`;
    if (/VM_DYNAMIC_IMPORT|experimental-vm-modules|dynamic import callback/i.test(text))
      throw new Error(
        "profiles: 'sql' (and 'demo') run PostgreSQL in the test process with PGlite, which loads its WebAssembly with a dynamic import(): under jest that needs NODE_OPTIONS=--experimental-vm-modules (e.g. `NODE_OPTIONS=--experimental-vm-modules jest`). Journeys that need no database run without it on the default profiles: 'memory'.",
        { cause: err },
      );
    throw err;
  }
}
