/**
 * The bundled segments' SQL, run the same on PGlite and on a real PostgreSQL (the two test files call this
 * suite): members at a fixed "now", paging in id order, resuming after an id, the preview, and a clear
 * error for SQL the database refuses.
 */
import { randomUUID } from 'node:crypto';
import { defineSegment, previewSegment, runSegment, type SqlProfileSource } from '../../src/profile';
import { bigSpendersGoneQuiet, newNoPurchase, topSpendersIdle } from '../../workflows/segments';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

export function segmentSuite(
  name: string,
  open: () => Promise<{ source: SqlProfileSource; close(): Promise<void> }>,
): void {
  describe(name, () => {
    let opened: { source: SqlProfileSource; close(): Promise<void> } | undefined;
    const run = `s${randomUUID().slice(0, 6)}`;
    const id = (who: string) => `${run}-${who}`;
    beforeAll(async () => {
      opened = await open();
      const s = opened.source;
      const buy = async (who: string, n: number, total: number, daysAgo: number) =>
        s.addOrder({
          id: `${id(who)}-o${n}`,
          customerId: id(who),
          placedAt: ago(daysAgo),
          items: [{ productId: 'p', name: 'Tea', category: 'tea', price: total, quantity: 1 }],
        });
      await s.upsertCustomer({ id: id('newbie'), email: 'newbie@example.com', signedUpAt: ago(2) });
      await s.upsertCustomer({ id: id('new-buyer'), signedUpAt: ago(3) });
      await buy('new-buyer', 1, 20, 1);
      await s.upsertCustomer({ id: id('old-newbie'), signedUpAt: ago(30) });
      await s.upsertCustomer({ id: id('whale'), phone: '+14155550170', signedUpAt: ago(400) });
      await buy('whale', 1, 400, 200);
      await buy('whale', 2, 300, 120);
      await s.upsertCustomer({ id: id('active-whale'), signedUpAt: ago(400) });
      await buy('active-whale', 1, 900, 10);
      // Many small spenders, so the whales are the top 10%.
      for (let i = 0; i < 20; i++) {
        await s.upsertCustomer({ id: id(`minnow-${String(i).padStart(2, '0')}`), signedUpAt: ago(300) });
        await buy(`minnow-${String(i).padStart(2, '0')}`, 1, 5, 100);
      }
    }, 60_000);
    afterAll(() => opened?.close());

    const members = async (segment: Parameters<typeof runSegment>[1], options = {}) => {
      const ids: string[] = [];
      for await (const m of runSegment(opened!.source.db, segment, { now: NOW, ...options }))
        if (m.id.startsWith(run)) ids.push(m.id.slice(run.length + 1));
      return ids;
    };

    test('new, no purchase: signed up within 7 days of now and never ordered', async () => {
      expect(await members(newNoPurchase)).toEqual(['newbie']);
    });

    test('big spenders gone quiet: over 500 in all, nothing in 90 days', async () => {
      expect(await members(bigSpendersGoneQuiet)).toEqual(['whale']);
    });

    test('top 10% spenders idle 60 days: a window function, the same on both databases', async () => {
      expect(await members(topSpendersIdle)).toEqual(['whale']);
      const [whale] = (
        await previewSegment(opened!.source.db, topSpendersIdle, { now: NOW, sample: 1000 })
      ).sample.filter((m) => m.id === id('whale'));
      expect(whale).toMatchObject({ phone: '+14155550170', data: { spent: 700 } });
    });

    test('members come in id order, a page at a time, and resume after an id', async () => {
      const minnows = defineSegment('minnows', `SELECT id FROM customers WHERE id LIKE '${run}-minnow-%'`);
      const all = await members(minnows, { pageSize: 3 });
      expect(all).toEqual(Array.from({ length: 20 }, (_, i) => `minnow-${String(i).padStart(2, '0')}`));
      expect(await members(minnows, { pageSize: 7, after: id('minnow-14') })).toEqual(all.slice(15));
      const preview = await previewSegment(opened!.source.db, minnows, { now: NOW, sample: 2 });
      expect(preview.size).toBe(20);
      expect(preview.sample.map((m) => m.id)).toEqual([id('minnow-00'), id('minnow-01')]);
    });

    test('SQL the database refuses fails with the segment named; bad definitions fail at once', async () => {
      const broken = defineSegment('broken', 'SELECT id FROM no_such_table');
      await expect(previewSegment(opened!.source.db, broken)).rejects.toMatchObject({
        code: 'INPUT_INVALID',
      });
      expect(() => defineSegment('Bad Name', 'SELECT 1')).toThrow(/kebab-case/);
      expect(() => defineSegment('two', 'SELECT 1; DROP TABLE customers')).toThrow(/one SELECT/);
    });
  });
}
