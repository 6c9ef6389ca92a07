import path from 'node:path';
import { connectTemporal } from '../client';
import { dataConverterOf } from '../codec';
import { loadConfig } from '../config';
import {
  describeOutcome,
  quietRuntime,
  exportHistory,
  historyFileName,
  recentRuns,
  replayFromServer,
  replayHistories,
  writeHistory,
} from '../testing';
import { parseFlags } from './args';
import { appWorkflowsPath } from './journeys-module';

const DEFAULT_DIR = path.join('test', 'histories');

/**
 * `journeys history export <workflowId> [--run-id R] [--out FILE|DIR]` or
 * `journeys history export --journey NAME --last N [--out DIR]`: histories as Temporal's JSON, from the
 * server `temporal.yaml` points at, into `test/histories/` by default. As the server stores them: encrypted
 * payloads stay encrypted (safe to commit), and `journeys replay` reads them with the config's keys.
 */
export async function historyExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    'run-id': { type: 'string' },
    out: { type: 'string' },
    journey: { type: 'string' },
    last: { type: 'string' },
    label: { type: 'string' },
  });
  const [workflowId] = positionals;
  if (!workflowId === !values.journey) throw new Error('Give a workflow id, or --journey NAME --last N.');
  // Histories are exported as stored: no payload is decoded, so no encryption key is needed.
  const connected = await connectTemporal(loadConfig(), undefined);
  try {
    if (workflowId) {
      const exported = await exportHistory(connected.client, workflowId, values['run-id']);
      const out = values.out ?? DEFAULT_DIR;
      const file = out.endsWith('.json') ? out : path.join(out, historyFileName(workflowId, values.label));
      console.log(`exported ${workflowId} (run ${exported.runId}) → ${await writeHistory(file, exported)}`);
      return 0;
    }
    const last = Number(values.last ?? '10');
    if (!Number.isInteger(last) || last < 1)
      throw new Error(`--last must be a positive whole number, got "${values.last}"`);
    const runs = await recentRuns(connected.client, values.journey as string, last);
    if (runs.length === 0) {
      console.error(`No runs of journey "${values.journey}" are visible on the server.`);
      return 1;
    }
    let done = 0;
    for (const run of runs) {
      const exported = await exportHistory(connected.client, run.workflowId, run.runId);
      const file = path.join(
        values.out ?? DEFAULT_DIR,
        historyFileName(run.workflowId, run.runId.slice(0, 8)),
      );
      await writeHistory(file, exported);
      console.log(`[${++done}/${runs.length}] ${run.workflowId} → ${file}`);
    }
    return 0;
  } finally {
    await connected.close();
  }
}

/**
 * `journeys replay [paths…] [--workflows PATH]` replays histories (default `test/histories/`) against the
 * current journeys; `--from-server --journey NAME --last N` replays live ones. Exits 1 on any failure.
 */
export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    workflows: { type: 'string' },
    'from-server': { type: 'boolean', default: false },
    journey: { type: 'string' },
    last: { type: 'string' },
  });
  const workflowsPath = appWorkflowsPath(values.workflows);
  // Encrypted histories (exported as the server stores them) are read with temporal.yaml's keys.
  const dataConverter = dataConverterOf(loadConfig());
  quietRuntime('ERROR'); // a diverging history is reported below, once, instead of as a worker warning
  let outcomes;
  if (values['from-server']) {
    if (!values.journey) throw new Error('--from-server needs --journey NAME (and --last N, default 10).');
    const connected = await connectTemporal(loadConfig());
    try {
      outcomes = await replayFromServer(connected.client, values.journey, Number(values.last ?? '10'), {
        workflowsPath,
        dataConverter,
      });
    } finally {
      await connected.close();
    }
  } else {
    outcomes = await replayHistories(positionals.length > 0 ? positionals : [DEFAULT_DIR], {
      workflowsPath,
      dataConverter,
    });
  }
  for (const outcome of outcomes) console.log(describeOutcome(outcome));
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`${outcomes.length - failed} replayed OK, ${failed} failed`);
  if (outcomes.length === 0) console.error('No histories to replay.');
  return failed > 0 || outcomes.length === 0 ? 1 : 0;
}
