/** The CLI's enrolment progress: a bar redrawn in place on a terminal, plain lines in a log. */
import { formatSummary, progressPrinter } from '../../src/cli/progress';

const progress = {
  done: 2_500,
  enrolled: 2_400,
  skipped: 90,
  failed: 10,
  total: 5_000,
  perSecond: 250,
  etaSeconds: 10,
};

function stream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream,
  };
}

test('on a terminal: a bar with the count, the rate and the ETA, redrawn in place', () => {
  const tty = stream(true);
  progressPrinter(tty.stream)(progress);
  expect(tty.written[0]).toMatch(
    /^\r\[#{12}\.{12}\] 2,500\/5,000 50% {2}250\/s ETA 10s {2}enrolled 2,400, skipped 90, failed 10/,
  );
});

test('in a log: plain lines, at most one every few seconds, and the last one', () => {
  const log = stream(false);
  const print = progressPrinter(log.stream, 60_000);
  print(progress);
  print({ ...progress, done: 2_600 });
  print({ ...progress, done: 5_000, etaSeconds: 0 });
  expect(log.written).toEqual([
    'progress 2,500/5,000 50%  250/s ETA 10s  enrolled 2,400, skipped 90, failed 10\n',
    'progress 5,000/5,000 100%  250/s ETA 0s  enrolled 2,400, skipped 90, failed 10\n',
  ]);
});

test('the summary lists each problem with its line', () => {
  expect(
    formatSummary({
      enrolled: 47,
      skipped: 0,
      failed: 2,
      durationMs: 1_500,
      problems: [
        { line: 11, outcome: 'failed', reason: 'customer.email: Invalid email address' },
        { line: 31, outcome: 'failed', reason: 'a quoted field is not closed' },
      ],
    }),
  ).toBe(
    'enrolled 47, skipped 0, failed 2 in 2s\n  failed  line 11: customer.email: Invalid email address\n  failed  line 31: a quoted field is not closed',
  );
});
