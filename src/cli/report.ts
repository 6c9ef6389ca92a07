import { connectTemporal } from '../client';
import { loadConfig } from '../config';
import { JourneyError } from '../errors';
import { countArms, DEFAULT_CONTROL, formatUpliftReport, upliftReport } from '../reporting';
import { parseFlags } from './args';
import { loadJourneysModule } from './journeys-module';

/** The package's own journeys (compiled beside this file), as `journeys dev` finds them. */

const USAGE = 'journeys report uplift <journey> [--variants a,b,holdout] [--workflows PATH]';

/**
 * `journeys report uplift <journey> [--variants a,b,holdout] [--workflows PATH]`: the journey's split arms
 * counted on the server `temporal.yaml` points at, as a table of enrolled, converted (the journey's goal
 * outcome), rate and the uplift over the holdout with its 95% interval. Exits 2 on an unknown subcommand
 * or journey, before connecting.
 */
export async function report(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    variants: { type: 'string' },
    workflows: { type: 'string' },
  });
  const [subcommand, journeyName, ...extra] = positionals;
  if (subcommand !== 'uplift') {
    console.error(`Unknown report "${subcommand ?? ''}": try \`${USAGE}\`.`);
    return 2;
  }
  if (!journeyName || extra.length > 0) {
    console.error(`Give one journey name: \`${USAGE}\`.`);
    return 2;
  }
  const loaded = loadJourneysModule(values.workflows);
  const workflowsPath = loaded.path;
  const journeys = [...loaded.journeys.values()].map((j) => j.definition);
  const definition = journeys.find((j) => j.name === journeyName);
  if (!definition) {
    const error = new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey "${journeyName}" in ${workflowsPath}; it has ${journeys.map((j) => j.name).join(', ') || 'none'}. Pass --workflows PATH for your own.`,
    );
    console.error(`${error.name} [${error.code}]: ${error.message}`);
    return 2;
  }
  const variants = values.variants
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

  const connected = await connectTemporal(loadConfig());
  try {
    const counts = await countArms(connected.client, definition, { variants });
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
