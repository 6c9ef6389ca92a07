import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgliteProfileSource, demoIds } from '../../src/profile';
import { profileSourceSuite } from './profile-source.suite';
import { segmentSuite } from './segments.suite';

// PGlite loads its WASM with dynamic `import()`: `npm test` runs jest with --experimental-vm-modules
// (electric-sql/pglite#224), as a user's tests with the testing kit must too.
profileSourceSuite('SQL profile source on PGlite (in memory)', () => createPgliteProfileSource());

segmentSuite('segments on PGlite (in memory)', () => createPgliteProfileSource());

describe('createPgliteProfileSource', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('keeps its data in dataDir across opens, and seeding again doubles nothing', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'journeys-pglite-'));
    const first = await createPgliteProfileSource({ dataDir, seed: true });
    const code = await first.source.assignPromoCode(demoIds.customers.ada, 'welcome');
    await first.close();

    const second = await createPgliteProfileSource({ dataDir, seed: true });
    try {
      expect(await second.source.assignPromoCode(demoIds.customers.ada, 'welcome')).toBe(code);
      expect(await second.source.orders(demoIds.customers.ada)).toHaveLength(2);
      expect((await second.source.profile(demoIds.customers.linus))?.openComplaints).toBe(1);
    } finally {
      await second.close();
    }
  });
});
