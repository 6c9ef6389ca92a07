/**
 * A second client process for the concurrency tests: connects to the server named in argv, reads one JSON
 * command per line on stdin and runs each at once, without waiting for the ones before it, answering each
 * with a JSON line `{ seq, ok, result | error }` on stdout.
 *
 *   node -r ts-node/register/transpile-only test/support/emitter-process.ts <address> <namespace> <taskQueue>
 */
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { createJourneyClient } from '../../src/client';
import { raceCart } from '../fixtures/order/journeys';

interface Command {
  readonly seq: number;
  readonly op: 'emit' | 'exit';
  readonly input: never;
}

async function main(): Promise<void> {
  const [address, namespace, taskQueue] = process.argv.slice(2);
  const connection = await Connection.connect({ address });
  const journeys = await createJourneyClient({
    journeys: [raceCart],
    client: new Client({ connection, namespace }),
    taskQueue,
  });
  const answer = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  answer({ seq: 0, ok: true, result: 'ready' });
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const command = JSON.parse(line) as Command;
    const run = command.op === 'emit' ? journeys.emit(command.input) : journeys.exit(raceCart, command.input);
    run.then(
      (result) => answer({ seq: command.seq, ok: true, result }),
      (err: unknown) =>
        answer({
          seq: command.seq,
          ok: false,
          error: { code: (err as { code?: unknown })?.code, message: String((err as Error)?.message ?? err) },
        }),
    );
  }
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
