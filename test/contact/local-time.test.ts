import {
  inLocalWindow,
  instantOf,
  isTimeZone,
  localParts,
  nextLocalTime,
  parseClock,
} from '../../src/contact/local-time';

const iso = (ms: number) => new Date(ms).toISOString();

test('23:30 in New York: the next 09:00 local is 14:00 UTC in winter; Tokyo has its own 09:00', () => {
  const ny = Date.parse('2026-01-15T04:30:00Z'); // 2026-01-14 23:30 EST
  expect(localParts(ny, 'America/New_York')).toMatchObject({ day: 14, hour: 23, minute: 30 });
  expect(iso(nextLocalTime(ny, 'America/New_York', '09:00'))).toBe('2026-01-15T14:00:00.000Z');
  const tokyo = Date.parse('2026-01-14T14:30:00Z'); // 23:30 JST
  expect(iso(nextLocalTime(tokyo, 'Asia/Tokyo', '09:00'))).toBe('2026-01-15T00:00:00.000Z');
});

test('across the spring-forward night the next 09:00 is still 09:00 local (13:00 UTC, not 14:00)', () => {
  const saturday = Date.parse('2026-03-08T04:30:00Z'); // Sat 2026-03-07 23:30 EST; clocks jump at 02:00 Sunday
  const sunday9 = nextLocalTime(saturday, 'America/New_York', '09:00');
  expect(iso(sunday9)).toBe('2026-03-08T13:00:00.000Z');
  expect(localParts(sunday9, 'America/New_York')).toMatchObject({ day: 8, hour: 9, minute: 0 });
});

test('across the fall-back night as well (14:00 UTC, not 13:00)', () => {
  const saturday = Date.parse('2026-11-01T03:30:00Z'); // Sat 2026-10-31 23:30 EDT; clocks fall back Sunday
  expect(iso(nextLocalTime(saturday, 'America/New_York', '09:00'))).toBe('2026-11-01T14:00:00.000Z');
});

test('a skipped local time resolves after the jump; a repeated one to its first occurrence', () => {
  expect(iso(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'))).toBe(
    '2026-03-08T07:30:00.000Z',
  );
  expect(iso(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'))).toBe(
    '2026-11-01T05:30:00.000Z',
  );
});

test('local windows, including one across midnight', () => {
  const at = (utc: string) => Date.parse(utc);
  expect(inLocalWindow(at('2026-01-15T04:30:00Z'), 'America/New_York', '21:00', '09:00')).toBe(true); // 23:30
  expect(inLocalWindow(at('2026-01-15T13:30:00Z'), 'America/New_York', '21:00', '09:00')).toBe(true); // 08:30
  expect(inLocalWindow(at('2026-01-15T14:00:00Z'), 'America/New_York', '21:00', '09:00')).toBe(false); // 09:00
  expect(inLocalWindow(at('2026-01-15T17:00:00Z'), 'America/New_York', '12:00', '13:00')).toBe(true); // 12:00
});

test('bad input is named', () => {
  expect(() => parseClock('9am')).toThrow(/"9am" is not a local time/);
  expect(isTimeZone('Europe/Paris')).toBe(true);
  expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
});
