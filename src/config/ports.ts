import { ConfigError } from '../errors';

/** A port a program listens on, and where its number was set. */
export interface PortUse {
  readonly port: number;
  /** What listens there: `the Web UI`. */
  readonly what: string;
  /** The setting or flag that sets it (`profiles.local.uiPort`, `--ui-port`). */
  readonly setAt: string;
  /** Whether the user wrote it there (a flag given, a key in the file), rather than left it to a default. */
  readonly explicit: boolean;
  /** The line of `setAt` in the file, when it was written there. */
  readonly line?: number;
}

/**
 * Throws {@link ConfigError} when two listeners would share a port, naming both and where each was set
 * (the error's line is the one written explicitly, the later in the file when both were). Port 0, "any free port",
 * never collides.
 *
 * @example
 * ```ts
 * assertDistinctPorts([
 *   { port: 7233, what: "the dev server's gRPC port", setAt: 'profiles.local.port', explicit: true, line: 8 },
 *   { port: 7233, what: 'the Web UI', setAt: 'profiles.local.uiPort', explicit: true, line: 9 },
 * ], 'temporal.yaml'); // ConfigError "temporal.yaml:9: profiles.local.uiPort: 7233 is also …"
 * ```
 */
export function assertDistinctPorts(uses: readonly PortUse[], file?: string): void {
  for (let i = 0; i < uses.length; i++) {
    for (let j = i + 1; j < uses.length; j++) {
      const a = uses[i] as PortUse;
      const b = uses[j] as PortUse;
      if (a.port === 0 || a.port !== b.port) continue;
      // Point at the one the user wrote (a default cannot be fixed where it is); of two, the later in the file.
      const bLater = a.explicit === b.explicit ? (b.line ?? 0) >= (a.line ?? 0) : b.explicit;
      const [other, blamed] = bLater ? [a, b] : [b, a];
      const where = blamed.line !== undefined ? `${file ?? 'temporal.yaml'}:${blamed.line}: ` : '';
      const otherAt = `${other.setAt}${other.line !== undefined ? `, line ${other.line}` : other.explicit ? '' : ', by default'}`;
      throw new ConfigError(
        `${where}${blamed.setAt}: port ${blamed.port} is also ${other.what} (${otherAt}); ` +
          `${uses.map((u) => u.what).join(', ')} each need a port of their own.`,
        { file: blamed.line !== undefined ? file : undefined, path: blamed.setAt, line: blamed.line },
      );
    }
  }
}
