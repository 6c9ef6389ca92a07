import { isGrpcServiceError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { JourneyError } from '../errors';

/**
 * Safe rollouts with Temporal's Worker Versioning: workers started with `deployment: { name, buildId }`
 * register their build; these move new runs (and auto-upgrading journeys' next tasks) between builds.
 * Every change is made against the state it was decided on (Temporal's conflict token), so two operators
 * rolling out at once get an error instead of a mix of both.
 */

/** A build of a deployment, as Temporal sees it. */
export interface DeploymentBuild {
  readonly buildId: string;
  /** `current`: new runs go here; `ramping`: a share of them; `draining`: pinned runs still on it; `drained`: none; `inactive`: never routed to. */
  readonly status: 'current' | 'ramping' | 'draining' | 'drained' | 'inactive';
  readonly createdAt: string | null;
  /** When it was last current, if ever (the build a rollback returns to is the latest of these). */
  readonly lastCurrentAt: string | null;
}

export interface DeploymentStatus {
  readonly deployment: string;
  /** The build new runs start on; `null`: unversioned workers take them. */
  readonly current: string | null;
  readonly ramping: { readonly buildId: string | null; readonly percent: number } | null;
  readonly builds: readonly DeploymentBuild[];
}

/** Why a rollout step was refused; nothing was changed. */
export type RolloutRefusal =
  | 'unknown-deployment'
  | 'unknown-build'
  | 'bad-percent'
  | 'already-current'
  | 'nothing-to-undo'
  | 'conflict'
  | 'refused';

/** A rollout step refused (`code` `ROLLOUT_REFUSED`, `reason` says which); the deployment is as it was. */
export class RolloutError extends JourneyError {
  override readonly name = 'RolloutError';
  constructor(
    readonly reason: RolloutRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ROLLOUT_REFUSED', message, options);
  }
}

/** gRPC status codes (the SDK's errors carry them as numbers). */
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;
const ABORTED = 10;

const IDENTITY = 'temporal-journeys rollout';
const Status = temporal.api.enums.v1.WorkerDeploymentVersionStatus;

interface Described {
  readonly status: DeploymentStatus;
  readonly conflictToken: Uint8Array;
}

function iso(t: temporal.api.deployment.v1.WorkerDeploymentInfo['createTime']): string | null {
  if (!t?.seconds) return null;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

const STATUS_NAMES: Record<number, DeploymentBuild['status']> = {
  [Status.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT]: 'current',
  [Status.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING]: 'ramping',
  [Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING]: 'draining',
  [Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]: 'drained',
};

async function describe(client: Client, deployment: string): Promise<Described> {
  let response: temporal.api.workflowservice.v1.DescribeWorkerDeploymentResponse;
  try {
    response = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: deployment,
    });
  } catch (err) {
    if (isGrpcServiceError(err) && Number(err.code) === NOT_FOUND)
      throw new RolloutError(
        'unknown-deployment',
        `Deployment "${deployment}" does not exist in namespace ${client.options.namespace}: a worker started with deployment: { name: "${deployment}", buildId } creates it once it polls.`,
        { cause: err },
      );
    throw err;
  }
  const info = response.workerDeploymentInfo!;
  const routing = info.routingConfig;
  const ramping = routing?.rampingDeploymentVersion?.buildId ?? null;
  const percent = routing?.rampingVersionPercentage ?? 0;
  return {
    conflictToken: response.conflictToken ?? new Uint8Array(),
    status: {
      deployment,
      current: routing?.currentDeploymentVersion?.buildId || null,
      ramping: ramping || percent > 0 ? { buildId: ramping || null, percent } : null,
      builds: (info.versionSummaries ?? []).map((v) => ({
        buildId: v.deploymentVersion?.buildId ?? '',
        status: STATUS_NAMES[v.status ?? 0] ?? 'inactive',
        createdAt: iso(v.createTime),
        lastCurrentAt: iso(v.lastCurrentTime) ?? iso(v.currentSinceTime),
      })),
    },
  };
}

function knownBuild(described: Described, buildId: string): void {
  if (!described.status.builds.some((b) => b.buildId === buildId))
    throw new RolloutError(
      'unknown-build',
      `Deployment "${described.status.deployment}" has no build "${buildId}": builds are registered by their workers' first poll (${described.status.builds.map((b) => b.buildId).join(', ') || 'none yet'}).`,
    );
}

/**
 * A change Temporal refused, said so and not retried behind the caller's back: `conflict` when the
 * deployment changed since it was read (the conflict token), `refused` for its other checks (no pollers
 * on the build yet, task queues the current build polls and the new one does not).
 */
async function guarded<T>(deployment: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (
      isGrpcServiceError(err) &&
      (Number(err.code) === FAILED_PRECONDITION || Number(err.code) === ABORTED)
    ) {
      const details = err.details || err.message;
      throw new RolloutError(
        /conflict/i.test(details) ? 'conflict' : 'refused',
        `Deployment "${deployment}" was not changed: ${details}`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** Where a deployment's new runs go, and its builds. */
export async function deploymentStatus(client: Client, deployment: string): Promise<DeploymentStatus> {
  return (await describe(client, deployment)).status;
}

/**
 * Makes `buildId` the build new runs start on (and auto-upgrading journeys move to at their next task); a
 * ramp to it ends. Pinned runs stay on the build they started on until they end.
 */
export async function promoteBuild(
  client: Client,
  deployment: string,
  buildId: string,
): Promise<DeploymentStatus> {
  const described = await describe(client, deployment);
  knownBuild(described, buildId);
  if (described.status.current !== buildId)
    await guarded(deployment, () =>
      client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: deployment,
        buildId,
        conflictToken: described.conflictToken,
        identity: IDENTITY,
      }),
    );
  return deploymentStatus(client, deployment);
}

/**
 * Sends `percent` (0-100) of new runs to `buildId`, the rest to the current build. Auto-upgrading runs
 * already running stay with the current build.
 */
export async function rampBuild(
  client: Client,
  deployment: string,
  buildId: string,
  percent: number,
): Promise<DeploymentStatus> {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100)
    throw new RolloutError('bad-percent', `A ramp is a percentage from 0 to 100, not ${String(percent)}.`);
  const described = await describe(client, deployment);
  knownBuild(described, buildId);
  if (described.status.current === buildId)
    throw new RolloutError(
      'already-current',
      `Build "${buildId}" is already current in deployment "${deployment}": nothing to ramp.`,
    );
  await guarded(deployment, () =>
    client.workflowService.setWorkerDeploymentRampingVersion({
      namespace: client.options.namespace,
      deploymentName: deployment,
      buildId,
      percentage: percent,
      conflictToken: described.conflictToken,
      identity: IDENTITY,
    }),
  );
  return deploymentStatus(client, deployment);
}

/**
 * Rolls `buildId` back: a ramp to it ends (every new run goes to the current build again), or, when it is
 * current, the build that was current before it becomes current again. Runs pinned to it finish on it;
 * auto-upgrading ones move at their next task. Naming the build makes it safe to retry: a build that is
 * neither ramping nor current any more is already rolled back, and nothing changes.
 */
export async function rollbackBuild(
  client: Client,
  deployment: string,
  buildId: string,
): Promise<DeploymentStatus> {
  const described = await describe(client, deployment);
  const { current, ramping, builds } = described.status;
  knownBuild(described, buildId);
  if (ramping?.buildId === buildId) {
    await guarded(deployment, () =>
      client.workflowService.setWorkerDeploymentRampingVersion({
        namespace: client.options.namespace,
        deploymentName: deployment,
        buildId: '',
        percentage: 0,
        conflictToken: described.conflictToken,
        identity: IDENTITY,
      }),
    );
    return deploymentStatus(client, deployment);
  }
  if (current !== buildId) return described.status; // rolled back already
  const previous = builds
    .filter((b) => b.buildId !== buildId && b.lastCurrentAt !== null)
    .sort((a, b) => (a.lastCurrentAt! < b.lastCurrentAt! ? 1 : -1))[0];
  if (!previous)
    throw new RolloutError(
      'nothing-to-undo',
      `Build "${buildId}" of deployment "${deployment}" is the only one ever current: there is no build to roll back to.`,
    );
  await guarded(deployment, () =>
    client.workflowService.setWorkerDeploymentCurrentVersion({
      namespace: client.options.namespace,
      deploymentName: deployment,
      buildId: previous.buildId,
      conflictToken: described.conflictToken,
      identity: IDENTITY,
    }),
  );
  return deploymentStatus(client, deployment);
}
