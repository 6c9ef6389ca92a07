/**
 * Durations as a marketer writes them: `'15 minutes'`, `'1 hour'`, `'7 days'`, `'2 weeks'`, or short forms
 * (`'90s'`, `'1h'`), or a number of milliseconds. Pure, so journeys and the client share it.
 */
export type Duration = number | `${number} ${string}` | `${number}${string}`;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** Milliseconds in `duration`. Throws a `TypeError` naming the value when it cannot be read. */
export function toMs(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0)
      throw new TypeError(`Duration ${duration} must be a finite number of milliseconds >= 0.`);
    return duration;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(duration);
  const unit = match?.[2] !== undefined ? UNIT_MS[match[2].toLowerCase()] : undefined;
  if (!match?.[1] || unit === undefined) {
    throw new TypeError(
      `Cannot read duration "${duration}"; write it like "15 minutes", "1 hour", "7 days" or "90s".`,
    );
  }
  return Math.round(Number(match[1]) * unit);
}
