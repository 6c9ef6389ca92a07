import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter, Payload } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { JourneyError } from '../errors';
import { bundleJourneys } from '../worker';
import { quietRuntime } from './quiet-runtime';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A history as exported: Temporal's own JSON form (what `temporal workflow show --output json` prints). */
export interface ExportedHistory {
  readonly workflowId: string;
  readonly runId: string;
  readonly json: string;
}

/** Fetches one run's history (the latest run when `runId` is omitted) as Temporal's JSON. */
export async function exportHistory(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<ExportedHistory> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  return { workflowId, runId: description.runId, json: historyToJSON(history) };
}

/** A file name for a workflow id: `journey/abandoned-cart/c%2F1/k` → `abandoned-cart--c_2F1--k`. */
export function historyFileName(workflowId: string, label?: string): string {
  const base = workflowId
    .replace(/^journey\//, '')
    .replace(/[^A-Za-z0-9._-]+/g, (m) => (m === '/' ? '--' : '_'));
  return `${base}${label ? `--${label}` : ''}.json`;
}

/** Writes an exported history, creating folders; returns the file written. */
export async function writeHistory(file: string, history: ExportedHistory): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${history.json}\n`);
  return file;
}

/** The most recent runs of a journey, newest first, from visibility (eventually consistent). */
export async function recentRuns(
  client: Client,
  journey: string,
  last: number,
): Promise<{ workflowId: string; runId: string }[]> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const run of client.workflow.list({
    query: `JourneyName = '${journey.replace(/'/g, "\\'")}'`,
    pageSize: Math.min(last, 1000),
  })) {
    runs.push({ workflowId: run.workflowId, runId: run.runId });
    if (runs.length >= last) break;
  }
  return runs;
}

/** What replaying one history found. */
export interface ReplayOutcome {
  /** The file it came from, or `server` for a history fetched live. */
  readonly source: string;
  readonly workflowId: string;
  /** The journey, read from the workflow id. */
  readonly journey: string | undefined;
  readonly ok: boolean;
  /** For a failure: the step the customer was in where the code diverged (null: before the first step). */
  readonly step?: string | null;
  /** For a failure: the history event id where it diverged, when the error names one. */
  readonly eventId?: number;
  /** For a failure: what the code did where the history has something else, e.g. "started a Timer where the history has UpsertWorkflowSearchAttributes". */
  readonly diverged?: string;
  /** For a failure: Temporal's determinism error in full. */
  readonly message?: string;
}

export interface ReplayOptions {
  /** The journeys module to replay against; defaults to `./workflows`. */
  readonly workflowsPath?: string;
  readonly workflowBundle?: WorkflowBundleOption;
  /**
   * How the histories' payloads are read: the data converter they were written with (`dataConverterOf(config)`
   * for encrypted ones; a key they name that it lacks fails that history with an error naming the key).
   */
  readonly dataConverter?: DataConverter;
}

interface LoadedHistory {
  readonly source: string;
  readonly workflowId: string;
  readonly history: History;
}

/** The `.json` files among `paths` (folders are read one level deep), sorted. */
async function historyFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      files.push(
        ...(await readdir(p))
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => path.join(p, f)),
      );
    } else {
      files.push(p);
    }
  }
  return files;
}

async function loadHistory(file: string): Promise<LoadedHistory> {
  let history: History;
  try {
    history = historyFromJSON(JSON.parse(await readFile(file, 'utf8')));
  } catch (cause) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `${file} is not a Temporal history in JSON form (export one with \`journeys history export\`).`,
      { cause },
    );
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  // Exported histories do not carry the workflow id; it is in the file name and in the search attributes.
  const workflowId = workflowIdOf(history) ?? path.basename(file, '.json');
  if (!started)
    throw new JourneyError('JOURNEY_INVALID', `${file} does not start with WorkflowExecutionStarted.`);
  return { source: file, workflowId, history };
}

/**
 * Replays recorded histories against the current journeys code and reports, per history, OK or where it
 * diverged: the journey, the step the customer was in and Temporal's determinism error. Never throws for a
 * failing history; check `ok`.
 *
 * @example
 * ```ts
 * const outcomes = await replayHistories('test/histories', { workflowsPath: require.resolve('./workflows') });
 * expect(outcomes.filter((o) => !o.ok)).toEqual([]);
 * ```
 */
export async function replayHistories(
  paths: string | readonly string[],
  options: ReplayOptions = {},
): Promise<ReplayOutcome[]> {
  const files = await historyFiles(typeof paths === 'string' ? [paths] : paths);
  return replayLoaded(await Promise.all(files.map(loadHistory)), options);
}

/** Replays the last `last` runs of a journey straight from the server: the check before a deploy. */
export async function replayFromServer(
  client: Client,
  journey: string,
  last: number,
  options: ReplayOptions = {},
): Promise<ReplayOutcome[]> {
  const runs = await recentRuns(client, journey, last);
  const histories = await Promise.all(
    runs.map(async (run) => ({
      source: 'server',
      workflowId: run.workflowId,
      history: await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory(),
    })),
  );
  // The client's own converter, when the caller gave none: it wrote these histories.
  return replayLoaded(histories, {
    ...options,
    dataConverter: options.dataConverter ?? client.options.dataConverter,
  });
}

async function replayLoaded(
  histories: readonly LoadedHistory[],
  options: ReplayOptions,
): Promise<ReplayOutcome[]> {
  if (histories.length === 0) return [];
  quietRuntime();
  const workflowBundle =
    options.workflowBundle ??
    (await bundleJourneys(options.workflowsPath ?? path.resolve('workflows'), {
      failureConverterPath: options.dataConverter?.failureConverterPath,
    }));
  const outcomes: ReplayOutcome[] = [];
  // Each run replays under its own workflow id (a journey checks that its id matches its customer), so
  // histories of one workflow id (several runs) go in separate rounds.
  // A history the keys cannot read fails with the codec's own words (the key it names), not with the
  // replayer's encoded task failure.
  const readable: LoadedHistory[] = [];
  for (const h of histories) {
    const unreadable = await unreadableBy(options.dataConverter, h.history);
    if (unreadable)
      outcomes.push({
        source: h.source,
        workflowId: h.workflowId,
        journey: journeyOf(h),
        ok: false,
        message: unreadable,
      });
    else readable.push(h);
  }
  for (const round of rounds(readable))
    await replayRound(workflowBundle, options.dataConverter, round, outcomes);
  return outcomes;
}

/** Why the data converter's codecs cannot decode a payload of the history, or `undefined` when they can. */
async function unreadableBy(
  dataConverter: DataConverter | undefined,
  history: History,
): Promise<string | undefined> {
  const codecs = [...(dataConverter?.payloadCodecs ?? [])].reverse();
  if (codecs.length === 0) return undefined;
  const payloads: Payload[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
      const o = value as Record<string, unknown>;
      if (o.metadata && typeof o.metadata === 'object' && 'data' in o) payloads.push(o);
      else Object.values(o).forEach(walk);
    }
  };
  walk(history.events);
  try {
    let decoded = payloads;
    for (const codec of codecs) decoded = await codec.decode(decoded);
    return undefined;
  } catch (err) {
    return `The history cannot be read with these keys: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Histories split so that no round holds one workflow id twice. */
function rounds(histories: readonly LoadedHistory[]): LoadedHistory[][] {
  const out: LoadedHistory[][] = [];
  for (const h of histories) {
    const free = out.find((r) => !r.some((x) => x.workflowId === h.workflowId));
    if (free) free.push(h);
    else out.push([h]);
  }
  return out;
}

async function replayRound(
  workflowBundle: WorkflowBundleOption,
  dataConverter: DataConverter | undefined,
  histories: readonly LoadedHistory[],
  outcomes: ReplayOutcome[],
): Promise<void> {
  const byId = new Map(histories.map((h) => [h.workflowId, h]));
  const results = Worker.runReplayHistories(
    { workflowBundle, replayName: 'journeys-replay', dataConverter },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  for await (const result of results) {
    const loaded = byId.get(result.workflowId) as LoadedHistory;
    const journey = journeyOf(loaded);
    if (!result.error) {
      outcomes.push({ source: loaded.source, workflowId: loaded.workflowId, journey, ok: true });
      continue;
    }
    const message = result.error.message;
    const eventId = divergedAt(message);
    const machine = /(\w+) machine does not handle this event: HistoryEvent\(id: \d+, (\w+)\)/.exec(message);
    outcomes.push({
      source: loaded.source,
      workflowId: loaded.workflowId,
      journey,
      ok: false,
      step: stepAt(loaded.history.events ?? [], eventId),
      eventId,
      diverged: machine
        ? `the code now issues a ${machine[1]} where the history has ${machine[2]}`
        : undefined,
      message,
    });
  }
}

/** The journey a history belongs to: its `JourneyName` at start, else its workflow id. */
function journeyOf(loaded: LoadedHistory): string | undefined {
  const fields =
    loaded.history.events?.[0]?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields;
  const name = fields?.JourneyName?.data;
  if (name) return JSON.parse(Buffer.from(name).toString('utf8')) as string;
  return /^journey\/([^/]+)\//.exec(loaded.workflowId)?.[1];
}

/** The workflow id recorded in a history's start event, if the server recorded it. */
function workflowIdOf(history: History): string | undefined {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const wid = started?.workflowId ?? undefined;
  return typeof wid === 'string' && wid ? wid : undefined;
}

/** The history event id a determinism error names, if it names one. */
function divergedAt(message: string): number | undefined {
  const match = /HistoryEvent\(id: (\d+)/.exec(message) ?? /event[ _]?id[:= ]+(\d+)/i.exec(message);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** One line per outcome, for people: `OK  file` or `FAIL file: journey …, in step …: …`. */
export function describeOutcome(outcome: ReplayOutcome): string {
  const where = `${outcome.source === 'server' ? outcome.workflowId : outcome.source}`;
  if (outcome.ok) return `OK    ${where}`;
  const step =
    outcome.step === undefined
      ? ''
      : outcome.step === null
        ? ', before the first step'
        : `, in step "${outcome.step}"`;
  const event = outcome.eventId !== undefined ? ` at history event ${outcome.eventId}` : '';
  return `FAIL  ${where}: journey "${outcome.journey ?? '?'}"${step}${event}: ${outcome.diverged ?? outcome.message ?? 'replay failed'}`;
}

/** The journey step entered last before `eventId` (in the whole history when unknown). */
function stepAt(events: readonly HistoryEvent[], eventId: number | undefined): string | null {
  let step: string | null = null;
  for (const event of events) {
    if (eventId !== undefined && Number(event.eventId) >= eventId) break;
    const indexed = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    const payload = indexed?.JourneyStep;
    if (payload?.data) step = JSON.parse(Buffer.from(payload.data).toString('utf8')) as string;
  }
  return step;
}
