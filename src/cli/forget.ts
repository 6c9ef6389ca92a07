import { connectTemporal, forgetCustomer } from '../client';
import { loadConfig } from '../config';
import { parseFlags } from './args';
import { openCustomerData } from './customer-data';

/**
 * `journeys forget <customerId> [--database URL | --no-profiles] [--json]`: erases a customer on the configured
 * Temporal (every run, the contact and the inbox, with their histories) and their profile rows, and prints
 * what was removed. Exit 0 when nothing of theirs is listed any more, 1 otherwise.
 */
export async function forget(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    database: { type: 'string' },
    'no-profiles': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  const [customerId] = positionals;
  if (!customerId || positionals.length > 1) {
    console.error('Usage: journeys forget <customerId> [--database URL | --no-profiles] [--json]');
    return 2;
  }
  const config = loadConfig();
  // Off the local server, the demo's PGlite is not the customer's data: name the database, or say there is none.
  if (
    !values['no-profiles'] &&
    !values.database &&
    !process.env.DATABASE_URL &&
    config.connection.type !== 'local'
  ) {
    console.error(
      `journeys forget: profile "${config.profile}" is not the local server: give --database URL (or DATABASE_URL) for the customer's profile rows, or --no-profiles.`,
    );
    return 2;
  }
  // Deleting reads no payload: no encryption keys needed (an operator erasing need not be able to decrypt).
  const connected = await connectTemporal(config, undefined);
  const data = values['no-profiles'] ? undefined : await openCustomerData(values.database);
  try {
    const report = await forgetCustomer(connected.client, customerId, { profiles: data?.source });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`forgot ${customerId}:`);
      for (const e of report.executions)
        console.log(`  deleted ${e.workflowId} (run ${e.runId}, ${e.status.toLowerCase()})`);
      console.log(`  ${report.executions.length} executions deleted, ${report.ended} of them were running`);
      if (report.profileRows) {
        const rows = Object.entries(report.profileRows).filter(([, n]) => n > 0);
        console.log(
          `  profile rows deleted in ${data?.where}: ${rows.map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}`,
        );
      }
      if (report.stillListed > 0)
        console.log(
          `  ${report.stillListed} still listed by visibility (deletion is asynchronous): run it again`,
        );
    }
    return report.stillListed > 0 ? 1 : 0;
  } finally {
    await Promise.allSettled([connected.close(), data?.close()]);
  }
}
