import type { Client } from '@temporalio/client';

/**
 * The namespace data key under which `journeys dev` advertises its time scale, so that any client connecting
 * to it (the app's own, in another process) starts journeys at the same speed without configuring it.
 */
export const TIME_SCALE_KEY = 'temporal-journeys.time-scale';

/** The time scale the namespace advertises, or undefined (production namespaces advertise none). */
export async function advertisedTimeScale(client: Client): Promise<number | undefined> {
  try {
    const { namespaceInfo } = await client.workflowService.describeNamespace({
      namespace: client.options.namespace,
    });
    const scale = Number(namespaceInfo?.data?.[TIME_SCALE_KEY]);
    return Number.isFinite(scale) && scale > 0 ? scale : undefined;
  } catch {
    return undefined;
  }
}

/** Advertises `scale` on the client's namespace (what `journeys dev` does at start). */
export async function advertiseTimeScale(client: Client, scale: number): Promise<void> {
  await client.workflowService.updateNamespace({
    namespace: client.options.namespace,
    updateInfo: { data: { [TIME_SCALE_KEY]: String(scale) } },
  });
}
