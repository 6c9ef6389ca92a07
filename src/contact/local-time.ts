/**
 * Wall-clock time in a customer's time zone, DST-correct, from the IANA database built into the runtime
 * (`Intl`, also inside Temporal's workflow sandbox). Pure: same inputs, same answer, so workflows may use it.
 */

/** `HH:MM`, 24-hour. */
export type LocalClock = `${number}:${number}`;

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows (`America/New_York`, `Asia/Tokyo`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    format(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date and clock time of instant `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    format(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The zone's offset from UTC at instant `ms`, in ms (New York in winter: -5 h). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/**
 * The instant at which it is `local` in `timeZone`. A local time skipped by a spring-forward change
 * (02:30 on the night clocks jump to 03:00) resolves to the instant just after the jump; one repeated by
 * a fall-back change resolves to its first occurrence.
 */
export function instantOf(local: LocalParts, timeZone: string): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  if (first === second) return first;
  // The offset changes near this local time: take the earlier instant that reads as `local`, else (a
  // skipped time) the later one.
  const [early, late] = first < second ? [first, second] : [second, first];
  const reads = (ms: number) => {
    const p = localParts(ms, timeZone);
    return p.hour === local.hour && p.minute === local.minute && p.day === local.day;
  };
  return reads(early) ? early : late;
}

/** Parses `HH:MM`; throws a `TypeError` naming the value when it is not a clock time. */
export function parseClock(clock: string): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new TypeError(`"${clock}" is not a local time; write it as HH:MM, e.g. "09:00".`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The next instant after `afterMs` (or at it) when the clock in `timeZone` reads `clock`. */
export function nextLocalTime(afterMs: number, timeZone: string, clock: string): number {
  const { hour, minute } = parseClock(clock);
  const today = localParts(afterMs, timeZone);
  for (let days = 0; days < 3; days++) {
    // Date.UTC normalises day overflow (the 32nd of a month), so this walks calendar days.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = instantOf(
      { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute },
      timeZone,
    );
    if (at >= afterMs) return at;
  }
  throw new RangeError(`No ${clock} in ${timeZone} within two days of ${new Date(afterMs).toISOString()}.`);
}

/**
 * Whether instant `ms` falls in the local window [`from`, `to`) in `timeZone`; a window whose end is before
 * its start spans midnight (`21:00`-`09:00`).
 */
export function inLocalWindow(ms: number, timeZone: string, from: string, to: string): boolean {
  const { hour, minute } = localParts(ms, timeZone);
  const now = hour * 60 + minute;
  const start = parseClock(from);
  const end = parseClock(to);
  const a = start.hour * 60 + start.minute;
  const b = end.hour * 60 + end.minute;
  return a <= b ? now >= a && now < b : now >= a || now < b;
}
