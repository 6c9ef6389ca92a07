import type { EnrollManyProgress, EnrollManySummary } from '../client';

const count = (n: number) => n.toLocaleString('en-US');
const duration = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`
      : `${Math.ceil(seconds)}s`;

/**
 * Prints enrolment progress: a bar redrawn in place on a terminal, a plain line every few seconds otherwise
 * (CI logs, files), so long runs show they are alive either way.
 */
export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  plainEveryMs = 5_000,
): (p: EnrollManyProgress) => void {
  let lastPlain = 0;
  return (p) => {
    const of = p.total !== undefined ? `/${count(p.total)}` : '';
    const pct = p.total ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
    const eta = p.etaSeconds !== undefined ? ` ETA ${duration(p.etaSeconds)}` : '';
    const text = `${count(p.done)}${of}${pct}  ${p.perSecond.toFixed(0)}/s${eta}  enrolled ${count(p.enrolled)}, skipped ${count(p.skipped)}, failed ${count(p.failed)}`;
    if (stream.isTTY) {
      const width = 24;
      const filled = p.total ? Math.round((width * p.done) / p.total) : 0;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
    } else if (Date.now() - lastPlain >= plainEveryMs || (p.total !== undefined && p.done === p.total)) {
      lastPlain = Date.now();
      stream.write(`progress ${text}\n`);
    }
  };
}

/** The summary a person reads after an enrolment: totals, then each problem with its line. */
export function formatSummary(summary: EnrollManySummary, limit = 50): string {
  const lines = [
    `enrolled ${count(summary.enrolled)}, skipped ${count(summary.skipped)}, failed ${count(summary.failed)} in ${duration(summary.durationMs / 1000)}`,
  ];
  for (const p of summary.problems.slice(0, limit)) {
    const where = p.line !== undefined ? `line ${p.line}` : (p.customerId ?? '');
    lines.push(
      `  ${p.outcome.padEnd(7)} ${where}${p.customerId && p.line !== undefined ? ` (${p.customerId})` : ''}: ${p.reason}`,
    );
  }
  if (summary.problems.length > limit) lines.push(`  … and ${count(summary.problems.length - limit)} more`);
  return lines.join('\n');
}
