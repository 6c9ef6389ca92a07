import { timeWindow } from '../../src/reporting/query';

const now = new Date('2026-11-24T12:00:00Z');

test('--since is a duration back from now', () => {
  expect(timeWindow({ since: '7 days' }, now)).toEqual({ from: new Date('2026-11-17T12:00:00Z') });
  expect(timeWindow({ since: '24h' }, now)).toEqual({ from: new Date('2026-11-23T12:00:00Z') });
});

test('--from and --to take ISO dates; to is optional', () => {
  expect(timeWindow({ from: '2026-11-01', to: '2026-11-08T00:00:00Z' }, now)).toEqual({
    from: new Date('2026-11-01T00:00:00Z'),
    to: new Date('2026-11-08T00:00:00Z'),
  });
  expect(timeWindow({ from: '2026-11-01' }, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z') });
  // A time without a zone is UTC, wherever the command runs; with one, it is that zone's.
  expect(timeWindow({ from: '2026-11-01T09:00' }, now)).toEqual({ from: new Date('2026-11-01T09:00:00Z') });
  expect(timeWindow({ from: '2026-11-01T09:00+05:30' }, now)).toEqual({
    from: new Date('2026-11-01T03:30:00Z'),
  });
  expect(timeWindow({}, now)).toEqual({});
});

test('bad windows are usage errors that name the flag', () => {
  expect(timeWindow({ since: 'a week' }, now)).toMatch(/--since takes a duration .*"a week"/);
  expect(timeWindow({ from: 'yesterday' }, now)).toMatch(/--from takes an ISO date .*"yesterday"/);
  expect(timeWindow({ from: '1' }, now)).toMatch(/--from takes an ISO date .*"1"/); // new Date('1') is 2001
  expect(timeWindow({ to: '2026-13-01' }, now)).toMatch(/--to takes an ISO date/);
  expect(timeWindow({ from: '2026-11-08', to: '2026-11-01' }, now)).toMatch(/--from .* must be before --to/);
  expect(timeWindow({ since: '7d', from: '2026-11-01' }, now)).toMatch(/cannot be combined/);
});
