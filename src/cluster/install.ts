import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { JourneyError } from '../errors';
import { firstLine, isExecutable, onPath, run } from '../server/find-binary';

/** The Temporal server release the cluster runs (its module on the Go module proxy). */
export const TEMPORAL_SERVER_VERSION = '1.32.2';
/** Server 1.32 needs a newer Go than many machines have; the go command fetches this toolchain itself. */
export const TEMPORAL_SERVER_GOTOOLCHAIN = 'go1.27.3';

/** The built server, its SQL schema tool and the module's files (schemas, sample configs). */
export interface TemporalServerBinaries {
  readonly version: string;
  /** `temporal-server`: `--config-file F --allow-no-auth start --service S`. */
  readonly server: string;
  /** `temporal-sql-tool`: create-database, setup-schema, update-schema. */
  readonly sqlTool: string;
  /** The module's `schema/postgresql/v12` folder. */
  readonly postgresSchemaDir: string;
}

export interface FindTemporalServerOptions {
  /** The per-user cache (`userCacheDir()`); the build goes under `temporal-server/<version>/`. */
  readonly cacheDir: string;
  /** Build when not cached (default true). */
  readonly install?: boolean;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Finds the Temporal server and its SQL tool in the cache, or builds both with `go install` from the Go
 * module proxy (about 4.5 minutes on 2 cores, once per user and version). The schemas come from the same
 * module in Go's module cache; a cleaned module cache is filled again by `go mod download`.
 */
export async function findTemporalServer(
  options: FindTemporalServerOptions,
): Promise<TemporalServerBinaries> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const bin = path.join(options.cacheDir, 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin');
  const server = path.join(bin, 'server');
  const sqlTool = path.join(bin, 'sql');
  const go = onPath('go', env);
  const fail = (why: string): never => {
    throw new JourneyError(
      'BINARY_NOT_FOUND',
      `Could not find or build the Temporal server ${TEMPORAL_SERVER_VERSION}: ${why}\nTo fix: install Go (any version; ` +
        `it fetches ${TEMPORAL_SERVER_GOTOOLCHAIN} itself), make the Go module proxy reachable, and run \`journeys cluster up\` again.`,
    );
  };
  if (!go) return fail('`go` is not on PATH');
  const goEnv = { ...env, GOTOOLCHAIN: TEMPORAL_SERVER_GOTOOLCHAIN, GOFLAGS: '-mod=mod' };
  const module = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;

  if (!isExecutable(server) || !isExecutable(sqlTool)) {
    if (options.install === false) return fail(`not in the cache (${bin})`);
    log(
      `Building the Temporal server ${TEMPORAL_SERVER_VERSION} with go install (about 5 minutes, once) into ${bin} …`,
    );
    // Into a fresh folder, renamed when both are built: a build killed halfway leaves nothing that looks done.
    const partial = `${bin}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    try {
      await run(
        go,
        [
          'install',
          `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
          `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
        ],
        { env: { ...goEnv, GOBIN: partial, CGO_ENABLED: '0' }, maxBuffer: 64 << 20, timeout: 30 * 60_000 },
      );
      await rm(bin, { recursive: true, force: true });
      await rename(partial, bin);
    } catch (err) {
      await rm(partial, { recursive: true, force: true });
      return fail(`go install failed: ${firstLine(err)}`);
    }
  }

  const modCache = (await run(go, ['env', 'GOMODCACHE'], { env: goEnv })).stdout.trim();
  let moduleDir = path.join(modCache, 'go.temporal.io', `server@v${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(moduleDir)) {
    log(`Downloading ${module} (its schemas) …`);
    const { stdout } = await run(go, ['mod', 'download', '-json', module], {
      env: goEnv,
      maxBuffer: 16 << 20,
    });
    moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  }
  const postgresSchemaDir = path.join(moduleDir, 'schema', 'postgresql', 'v12');
  if (!existsSync(postgresSchemaDir)) return fail(`${postgresSchemaDir} is missing`);
  return { version: TEMPORAL_SERVER_VERSION, server, sqlTool, postgresSchemaDir };
}
