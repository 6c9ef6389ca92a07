import { connectTemporal } from '../client';
import { loadConfig } from '../config';
import { JourneyError } from '../errors';
import {
  countArms,
  DEFAULT_CONTROL,
  formatFunnel,
  formatPaths,
  formatUpliftReport,
  journeyFunnel,
  journeyPaths,
  startedWithin,
  timeWindow,
  upliftReport,
} from '../reporting';
import { parseFlags } from './args';
import { loadJourneysModule, type JourneyFunction } from './journeys-module';

const USAGE =
  'journeys report uplift <journey> [--variants a,b,holdout] [--since DURATION | --from ISO [--to ISO]] [--workflows PATH]';

/** The flags each report takes; any other is a usage error rather than silently ignored. */
const ALLOWED: Record<'funnel' | 'paths' | 'uplift', readonly string[]> = {
  funnel: ['variant', 'steps', 'since', 'from', 'to', 'json', 'workflows'],
  paths: ['limit', 'variant', 'since', 'from', 'to', 'json', 'workflows'],
  uplift: ['variants', 'since', 'from', 'to', 'workflows'],
};
const FUNNEL_USAGE =
  'journeys report <journey> [--variant V] [--since DURATION | --from ISO [--to ISO]] [--steps a,b,c] [--json] [--workflows PATH]';

const PATHS_USAGE =
  'journeys report paths <journey> [--limit N] [--variant V] [--since DURATION | --from ISO [--to ISO]] [--json] [--workflows PATH]';

/** The journey named, or `undefined` after saying which journeys there are (a usage error). */
function findJourney(name: string, workflows: string | undefined): JourneyFunction | undefined {
  const loaded = loadJourneysModule(workflows);
  const journey = loaded.journeys.get(name);
  if (!journey) {
    const error = new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey "${name}" in ${loaded.path}; it has ${[...loaded.journeys.keys()].join(', ') || 'none'}. Pass --workflows PATH for your own.`,
    );
    console.error(`${error.name} [${error.code}]: ${error.message}`);
  }
  return journey;
}

/**
 * `journeys report <journey>`: the funnel (entered, passed, at, drop-off, converted per step) and outcomes;
 * `journeys report paths <journey>`: the paths up to `--limit` runs took and where they dropped off.
 */
async function funnelOrPaths(
  kind: 'funnel' | 'paths',
  name: string,
  values: {
    limit?: string;
    variant?: string;
    steps?: string;
    json?: boolean;
    workflows?: string;
    since?: string;
    from?: string;
    to?: string;
  },
): Promise<number> {
  const usage = kind === 'funnel' ? FUNNEL_USAGE : PATHS_USAGE;
  const window = timeWindow(values);
  if (typeof window === 'string') {
    console.error(`${window} Usage: \`${usage}\``);
    return 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    console.error(`--limit takes a number of runs above 0, got "${values.limit}". Usage: \`${usage}\``);
    return 2;
  }
  const journey = findJourney(name, values.workflows);
  if (!journey) return 2;
  const connected = await connectTemporal(loadConfig());
  try {
    if (kind === 'paths') {
      const paths = await journeyPaths(connected.client, journey, {
        variant: values.variant,
        ...window,
        limit,
      });
      console.log(values.json ? JSON.stringify(paths, null, 2) : formatPaths(paths));
      return 0;
    }
    const result = await journeyFunnel(connected.client, journey, {
      variant: values.variant,
      ...window,
      steps: values.steps
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
    console.log(values.json ? JSON.stringify(result, null, 2) : formatFunnel(result));
    return 0;
  } finally {
    await connected.close();
  }
}

/**
 * `journeys report uplift <journey> [--variants a,b,holdout] [--workflows PATH]`: the journey's split arms
 * counted on the server `temporal.yaml` points at, as a table of enrolled, converted (the journey's goal
 * outcome), rate and the uplift over the holdout with its 95% interval. Exits 2 on an unknown subcommand
 * or journey, before connecting.
 */
export async function report(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    variants: { type: 'string' },
    variant: { type: 'string' },
    steps: { type: 'string' },
    limit: { type: 'string' },
    since: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean', default: false },
    workflows: { type: 'string' },
  });
  const [subcommand, journeyName, ...extra] = positionals;
  const kind = subcommand === 'paths' || subcommand === 'uplift' ? subcommand : 'funnel';
  const unused = Object.keys(values).filter(
    (flag) => !ALLOWED[kind].includes(flag) && values[flag as keyof typeof values] !== false,
  );
  if (unused.length > 0) {
    console.error(
      `${unused.map((f) => `--${f}`).join(', ')}: not an option of this report. Usage: \`${{ funnel: FUNNEL_USAGE, paths: PATHS_USAGE, uplift: USAGE }[kind]}\``,
    );
    return 2;
  }
  if (subcommand === 'paths') {
    if (!journeyName || extra.length > 0) {
      console.error(`Give one journey name: \`${PATHS_USAGE}\`.`);
      return 2;
    }
    return funnelOrPaths('paths', journeyName, values);
  }
  if (subcommand !== 'uplift') {
    if (!subcommand || journeyName !== undefined) {
      console.error(`Try \`${FUNNEL_USAGE}\`, \`${PATHS_USAGE}\` or \`${USAGE}\`.`);
      return 2;
    }
    return funnelOrPaths('funnel', subcommand, values);
  }
  if (!journeyName || extra.length > 0) {
    console.error(`Give one journey name: \`${USAGE}\`.`);
    return 2;
  }
  const definition = findJourney(journeyName, values.workflows)?.definition;
  if (!definition) return 2;
  const variants = values.variants
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const window = timeWindow(values);
  if (typeof window === 'string') {
    console.error(`${window} Usage: \`${USAGE}\``);
    return 2;
  }
  const where = startedWithin(window);

  const connected = await connectTemporal(loadConfig());
  try {
    const counts = await countArms(connected.client, definition, {
      variants,
      ...(where.length ? { where: where.join(' AND ') } : {}),
    });
    if (counts.arms.length === 0) {
      console.log(
        `No run of journey "${definition.name}" has a variant (${counts.unassigned} runs without one): it has no split(), or no run has reached it yet.`,
      );
      return 0;
    }
    const result = upliftReport({
      ...counts,
      // The control first, as the row the others are read against.
      arms: [...counts.arms].sort(
        (a, b) => Number(b.variant === DEFAULT_CONTROL) - Number(a.variant === DEFAULT_CONTROL),
      ),
    });
    console.log(`Uplift of journey "${definition.name}": conversion = outcome "${counts.goalOutcome}"\n`);
    console.log(formatUpliftReport(result));
    if (!result.hasControl)
      console.log(`\nNo "${result.control}" arm: give the split a holdout to measure uplift against.`);
    if (counts.unassigned > 0)
      console.log(`\n${counts.unassigned} run(s) without a variant (before the split, or ended before it).`);
    return 0;
  } finally {
    await connected.close();
  }
}
