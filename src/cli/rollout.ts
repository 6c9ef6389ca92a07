import {
  connectTemporal,
  deploymentStatus,
  promoteBuild,
  rampBuild,
  rollbackBuild,
  type DeploymentStatus,
} from '../client';
import { loadConfig } from '../config';
import { parseFlags } from './args';

const USAGE =
  'Usage: journeys rollout status | promote <buildId> | ramp <buildId> <percent> | rollback <buildId> [--deployment NAME] [--json]';

/**
 * `journeys rollout`: where a Worker Versioning deployment sends new runs, and the steps of a rollout
 * (ramp, promote, roll back). The deployment defaults to `worker.deployment.name` in temporal.yaml.
 */
export async function rollout(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    deployment: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [action, buildId, percent] = positionals;
  const config = loadConfig();
  const deployment = values.deployment ?? config.worker.deployment?.name;
  if (!deployment) {
    console.error(
      `No deployment: pass --deployment NAME or set worker.deployment in ${config.file ?? 'temporal.yaml'}.\n${USAGE}`,
    );
    return 2;
  }
  const expected = { status: 1, promote: 2, ramp: 3, rollback: 2 }[action ?? ''];
  if (expected === undefined || positionals.length !== expected) {
    console.error(USAGE);
    return 2;
  }
  const connected = await connectTemporal(config);
  try {
    const { client } = connected;
    let status: DeploymentStatus;
    if (action === 'promote') status = await promoteBuild(client, deployment, buildId!);
    else if (action === 'ramp') {
      const share = Number(percent);
      if (!/^\d+(\.\d+)?$/.test(percent!)) {
        console.error(`A ramp is a percentage from 0 to 100, not "${percent}".\n${USAGE}`);
        return 2;
      }
      status = await rampBuild(client, deployment, buildId!, share);
    } else if (action === 'rollback') status = await rollbackBuild(client, deployment, buildId!);
    else status = await deploymentStatus(client, deployment);
    console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    return 0;
  } finally {
    await connected.close();
  }
}

export function formatStatus(status: DeploymentStatus): string {
  const lines = [
    `deployment ${status.deployment}`,
    `  new runs   ${status.current ?? 'unversioned workers'}${status.ramping ? ` (${100 - status.ramping.percent}%), ${status.ramping.buildId ?? 'unversioned workers'} (${status.ramping.percent}%)` : ''}`,
    '  builds',
  ];
  for (const b of status.builds)
    lines.push(`    ${b.buildId.padEnd(24)} ${b.status.padEnd(9)} created ${b.createdAt ?? '?'}`);
  return lines.join('\n');
}
