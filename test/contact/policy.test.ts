import fc from 'fast-check';
import {
  decide,
  pruneLedger,
  recordSend,
  type ContactFacts,
  type GateRequest,
  type LedgerEntry,
  type SendPolicy,
} from '../../src/contact/policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy: SendPolicy = {
  caps: [
    { channel: 'email', max: 1, per: '1 day' },
    { channel: 'sms', max: 1, per: '1 day' },
    { channel: 'any', max: 3, per: '7 days' },
  ],
  quietHours: { sms: { from: '21:00', to: '09:00' } },
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};
const empty: ContactFacts = {
  timeZone: 'America/New_York',
  channels: {},
  topics: {},
  suppressed: {},
  ledger: [],
};
const email: GateRequest = { channel: 'email', category: 'marketing', journey: 'welcome', step: 'hello' };
const noon = Date.parse('2026-01-15T17:00:00Z'); // 12:00 in New York

test('a first marketing email is allowed; a second the same day waits for the next free slot', () => {
  expect(decide(empty, policy, email, noon)).toEqual({ decision: 'allow' });
  const sent = {
    ...empty,
    ledger: [
      {
        channel: 'email',
        category: 'marketing' as const,
        journey: 'cart',
        step: 'reminder',
        at: noon - 2 * HOUR,
      },
    ],
  };
  expect(decide(sent, policy, email, noon)).toEqual({
    decision: 'defer',
    until: noon - 2 * HOUR + DAY,
    reason: 'frequency_cap',
  });
  expect(decide(sent, policy, { ...email, category: 'transactional' }, noon)).toEqual({ decision: 'allow' });
  expect(decide(sent, { ...policy, overCap: 'suppress' }, email, noon)).toEqual({
    decision: 'suppress',
    reason: 'frequency_cap',
  });
});

test('the weekly cap across channels counts every channel', () => {
  const ledger = [1, 2, 3].map((d) => ({
    channel: d === 2 ? 'sms' : 'email',
    category: 'marketing' as const,
    journey: 'j',
    step: 's',
    at: noon - d * DAY,
  }));
  expect(decide({ ...empty, ledger }, policy, email, noon)).toEqual({
    decision: 'defer',
    until: noon - 3 * DAY + 7 * DAY,
    reason: 'frequency_cap',
  });
});

test("SMS in quiet hours waits for 09:00 in the customer's zone", () => {
  const late = Date.parse('2026-01-15T04:30:00Z'); // 23:30 in New York
  const sms: GateRequest = { ...email, channel: 'sms' };
  expect(decide(empty, policy, sms, late)).toEqual({
    decision: 'defer',
    until: Date.parse('2026-01-15T14:00:00Z'),
    reason: 'quiet_hours',
  });
  expect(decide({ ...empty, timeZone: 'Asia/Tokyo' }, policy, sms, late)).toEqual({ decision: 'allow' }); // 13:30 in Tokyo
});

test('quiet hours and a cap together: the slot satisfies both', () => {
  const late = Date.parse('2026-01-15T04:30:00Z'); // 23:30 in New York
  const sms: GateRequest = { ...email, channel: 'sms' };
  // An SMS at 10:00 local the day before: the cap frees at 10:00 local, after quiet hours end at 09:00.
  const ledger = [
    {
      channel: 'sms',
      category: 'marketing' as const,
      journey: 'j',
      step: 's',
      at: Date.parse('2026-01-14T15:00:00Z'),
    },
  ];
  expect(decide({ ...empty, ledger }, policy, sms, late)).toEqual({
    decision: 'defer',
    until: Date.parse('2026-01-15T15:00:00Z'),
    reason: 'quiet_hours',
  });
});

test('suppression and consent come first; transactional messages skip consent but not suppression', () => {
  expect(decide({ ...empty, channels: { email: 'unsubscribed' } }, policy, email, noon)).toEqual({
    decision: 'suppress',
    reason: 'unsubscribed',
  });
  expect(
    decide(
      { ...empty, channels: { email: 'unsubscribed' } },
      policy,
      { ...email, category: 'transactional' },
      noon,
    ),
  ).toEqual({ decision: 'allow' });
  expect(decide({ ...empty, channels: { email: 'pending' } }, policy, email, noon)).toEqual({
    decision: 'suppress',
    reason: 'pending_confirmation',
  });
  expect(
    decide(
      { ...empty, topics: { promotions: 'unsubscribed' } },
      policy,
      { ...email, topic: 'promotions' },
      noon,
    ),
  ).toEqual({ decision: 'suppress', reason: 'topic_unsubscribed' });
  const bounced = { ...empty, suppressed: { email: { reason: 'bounced' as const, at: noon } } };
  expect(decide(bounced, policy, { ...email, category: 'transactional' }, noon)).toEqual({
    decision: 'suppress',
    reason: 'bounced',
  });
});

test('the ledger keeps only what a cap can still count', () => {
  const ledger = [1, 6, 8].map((d) => ({
    channel: 'email',
    category: 'marketing' as const,
    journey: 'j',
    step: 's',
    at: noon - d * DAY,
  }));
  expect(pruneLedger(ledger, policy, noon).map((e) => (noon - e.at) / DAY)).toEqual([1, 6]);
});

test("a campaign cooldown holds only its own journey's sends", () => {
  const cooldown: SendPolicy = {
    ...policy,
    caps: [{ channel: 'any', journey: 'win-back', max: 1, per: '30 days' }],
  };
  const facts = {
    ...empty,
    ledger: [
      {
        channel: 'email',
        category: 'marketing' as const,
        journey: 'win-back',
        step: 'offer',
        at: noon - DAY,
      },
    ],
  };
  const winBack = { ...email, journey: 'win-back' };
  expect(decide(facts, cooldown, winBack, noon)).toEqual({
    decision: 'defer',
    until: noon - DAY + 30 * DAY,
    reason: 'frequency_cap',
  });
  expect(decide(facts, cooldown, { ...winBack, channel: 'sms' }, noon)).toMatchObject({
    decision: 'defer',
  });
  expect(decide(facts, cooldown, email, noon)).toEqual({ decision: 'allow' }); // another journey
  expect(decide(facts, { ...cooldown, overCap: 'suppress' }, winBack, noon)).toEqual({
    decision: 'suppress',
    reason: 'frequency_cap',
  });
  // The ledger keeps the cooldown's window, so the send still counts on day 29.
  expect(pruneLedger(facts.ledger, cooldown, noon + 28 * DAY)).toHaveLength(1);
});

test('transactional sends and sends no cap counts never enter the ledger', () => {
  const entry = (channel: string, category: 'marketing' | 'transactional', at: number): LedgerEntry => ({
    channel,
    category,
    journey: 'j',
    step: 's',
    at,
  });
  const emailOnly: SendPolicy = { ...policy, caps: [{ channel: 'email', max: 3, per: '7 days' }] };
  let ledger: LedgerEntry[] = [];
  for (let i = 0; i < 1_000; i++)
    ledger = recordSend(ledger, emailOnly, entry('email', 'transactional', noon + i));
  for (let i = 0; i < 100; i++) ledger = recordSend(ledger, emailOnly, entry('push', 'marketing', noon + i));
  expect(ledger).toEqual([]);
  ledger = recordSend(ledger, emailOnly, entry('email', 'marketing', noon));
  expect(ledger).toEqual([entry('email', 'marketing', noon)]);
  expect(recordSend(ledger, { ...emailOnly, caps: [] }, entry('email', 'marketing', noon + 1))).toEqual([]);
});

test("the ledger holds each cap's max latest sends, and decides exactly as the whole history would", () => {
  // Any sequence of allowed sends, any caps: the gate's answer on the pruned ledger equals its answer on
  // every send ever recorded, now and at any later instant.
  const channels = ['email', 'sms', 'push'] as const;
  const journeys = ['a', 'b'] as const;
  const capArb = fc.record({
    channel: fc.constantFrom('any', ...channels),
    journey: fc.option(fc.constantFrom(...journeys), { nil: undefined }),
    max: fc.integer({ min: 1, max: 4 }),
    per: fc.constantFrom('1 hour', '1 day', '7 days'),
  });
  const sendArb = fc.record({
    channel: fc.constantFrom(...channels),
    category: fc.constantFrom('marketing' as const, 'transactional' as const),
    journey: fc.constantFrom(...journeys),
    gap: fc.integer({ min: 0, max: 12 * HOUR }),
  });
  fc.assert(
    fc.property(
      fc.array(capArb, { maxLength: 3 }),
      fc.array(sendArb, { maxLength: 60 }),
      fc.record({ channel: fc.constantFrom(...channels), journey: fc.constantFrom(...journeys) }),
      fc.integer({ min: 0, max: 8 * DAY }),
      (caps, sends, ask, later) => {
        const rules: SendPolicy = { caps, quietHours: {}, overCap: 'defer', defaultTimeZone: 'UTC' };
        let at = noon;
        let ledger: LedgerEntry[] = [];
        const all: LedgerEntry[] = [];
        for (const { gap, ...send } of sends) {
          at += gap;
          const entry = { ...send, step: 's', at };
          all.push(entry);
          ledger = recordSend(ledger, rules, entry);
        }
        const bound = caps.reduce((n, c) => n + c.max, 0);
        expect(ledger.length).toBeLessThanOrEqual(bound);
        const request: GateRequest = { ...ask, category: 'marketing', step: 'next' };
        for (const when of [at, at + later])
          expect(decide({ ...empty, ledger }, rules, request, when)).toEqual(
            decide({ ...empty, ledger: all }, rules, request, when),
          );
      },
    ),
    { numRuns: 300, seed: 14 },
  );
});
