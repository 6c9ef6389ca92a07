/** The per-contact cap on updates in flight from one process: at most CONTACT_LANES, first come first served. */
import { CONTACT_LANES, inContactLane } from '../../src/client/contact-calls';

const tick = () => new Promise((r) => setImmediate(r));

test('at most CONTACT_LANES updates run at once per contact, the rest in arrival order; other contacts are free', async () => {
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const update = (i: number) =>
    inContactLane('contact/a', async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(i);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return i;
    });
  const all = Array.from({ length: 12 }, (_, i) => update(i));
  await tick();
  expect(running).toBe(CONTACT_LANES);
  expect(await inContactLane('contact/b', () => Promise.resolve('free'))).toBe('free');
  while (gates.length > 0) {
    gates.shift()!();
    await tick();
  }
  expect(await Promise.all(all)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  expect(most).toBe(CONTACT_LANES);
  expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
});

test('a failed update frees its slot', async () => {
  const failures = Array.from({ length: CONTACT_LANES * 2 }, () =>
    inContactLane('contact/c', () => Promise.reject(new Error('refused'))),
  );
  for (const f of failures) await expect(f).rejects.toThrow('refused');
  expect(await inContactLane('contact/c', () => Promise.resolve('ok'))).toBe('ok');
});

test('a caller whose attempt is given up leaves the queue; the others keep their turn', async () => {
  const gates: (() => void)[] = [];
  const hold = () => new Promise<void>((resolve) => gates.push(resolve));
  const busy = Array.from({ length: CONTACT_LANES }, () => inContactLane('contact/d', hold));
  const given = new AbortController();
  const ran: string[] = [];
  const abandoned = inContactLane('contact/d', () => Promise.resolve(ran.push('abandoned')), given.signal);
  const next = inContactLane('contact/d', () => Promise.resolve(ran.push('next')));
  await tick();
  given.abort(new Error('attempt timed out'));
  await expect(abandoned).rejects.toThrow('attempt timed out');
  gates.shift()!();
  await next;
  expect(ran).toEqual(['next']);
  gates.forEach((g) => g());
  await Promise.all(busy);
  const aborted = new AbortController();
  aborted.abort(new Error('already given up'));
  await expect(inContactLane('contact/d', () => Promise.resolve(1), aborted.signal)).rejects.toThrow(
    'already given up',
  );
});
