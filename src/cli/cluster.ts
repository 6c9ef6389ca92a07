import path from 'node:path';
import { loadConfig } from '../config';
import {
  attachCluster,
  CLUSTER_SERVICES,
  clusterStatus,
  DEFAULT_CLUSTER_PORT,
  readClusterState,
  startCluster,
} from '../cluster';
import { parseFlags, portFlag } from './args';

const DEFAULT_STATE_DIR = path.join('.journeys', 'cluster');

/**
 * `journeys cluster up|down|status`: a Temporal cluster on this machine (PostgreSQL and four service
 * processes) that outlives the command, to try the journeys on what production runs.
 */
export async function cluster(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parseFlags(rest, {
    dir: { type: 'string' },
    port: { type: 'string' },
    namespace: { type: 'string' },
    json: { type: 'boolean' },
  });
  const stateDir = path.resolve(values.dir ?? DEFAULT_STATE_DIR);
  const { cacheDir } = loadConfig().server;
  switch (action ?? '') {
    case 'up': {
      const started = Date.now();
      const running = await startCluster({
        stateDir,
        cacheDir,
        port: portFlag(values.port, 'port', DEFAULT_CLUSTER_PORT),
        namespace: values.namespace,
        detached: true,
        log: (line) => console.log(line),
      });
      console.log(
        [
          `Temporal cluster ${running.version} up in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
          `  frontend   ${running.address} (namespace ${running.namespace})`,
          `  services   ${CLUSTER_SERVICES.map((s) => `${s} ${running.services[s].pid}`).join(', ')}`,
          `  postgres   127.0.0.1:${running.postgres.port} (data ${running.postgres.dataDir})`,
          `  logs       ${path.join(stateDir, 'logs')}`,
          '',
          'Point temporal.yaml at it:',
          '  profiles:',
          '    cluster:',
          '      type: cluster',
          `      address: ${running.address}`,
          `      namespace: ${running.namespace}`,
          'then JOURNEYS_PROFILE=cluster journeys serve (or your worker). `journeys cluster down` stops it.',
        ].join('\n'),
      );
      return 0;
    }
    case 'down': {
      const running = await attachCluster(stateDir, cacheDir);
      if (!running) {
        console.log(`No cluster in ${stateDir}.`);
        return 0;
      }
      await running.stop();
      console.log(`Cluster stopped (data kept in ${running.postgres.dataDir} for the next \`up\`).`);
      return 0;
    }
    case 'status': {
      const state = readClusterState(stateDir);
      if (!state) {
        console.log(`No cluster in ${stateDir}: \`journeys cluster up\` starts one.`);
        return 3;
      }
      const status = await clusterStatus(state);
      if (values.json) {
        console.log(
          JSON.stringify({ address: state.address, namespace: state.namespace, ...status }, null, 2),
        );
      } else {
        console.log(`frontend ${state.address} (namespace ${state.namespace}): ${status.frontend}`);
        for (const [name, up] of Object.entries(status.processes)) {
          const pid = name === 'postgres' ? state.postgres.pid : state.services[name as 'history'].pid;
          console.log(`  ${name.padEnd(9)} ${up ? 'running' : 'stopped'} (pid ${pid})`);
        }
      }
      const allUp = Object.values(status.processes).every(Boolean) && status.frontend.startsWith('serving');
      return allUp ? 0 : 3;
    }
    default:
      console.error(
        `Unknown cluster command "${action ?? ''}": try \`journeys cluster up\`, \`down\` or \`status\`.`,
      );
      return 2;
  }
}
