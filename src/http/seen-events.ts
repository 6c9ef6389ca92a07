import { createHash } from 'node:crypto';

/**
 * The events this server applied lately, by id, with a fingerprint of what was sent: a retried POST of the
 * same event answers `duplicate` (and its first deliveries) without reaching Temporal again, and the same id
 * with other content is a conflict. Two requests with one id at once share the first one's work. Bounded
 * (oldest forgotten first); the journeys themselves ignore a repeated event id whatever this remembers, so a
 * retry that reaches another server, or this one after a restart, is still applied once.
 */
export interface SeenEvents<T> {
  /**
   * Runs `apply` for a new id; for a known one returns what it returned (`duplicate: true`), or
   * `conflict` when the content differs. A failed `apply` is forgotten, so the retry applies it.
   */
  once(
    id: string,
    content: unknown,
    apply: () => Promise<T>,
  ): Promise<{ duplicate: boolean; value: T } | { conflict: true }>;
}

export function createSeenEvents<T>(limit = 50_000): SeenEvents<T> {
  const seen = new Map<string, { fingerprint: string; value: Promise<T> }>();
  return {
    async once(id, content, apply) {
      const fingerprint = createHash('sha256').update(stableJson(content)).digest('base64url');
      const known = seen.get(id);
      if (known) {
        if (known.fingerprint !== fingerprint) return { conflict: true };
        return { duplicate: true, value: await known.value };
      }
      const value = apply();
      seen.set(id, { fingerprint, value });
      if (seen.size > limit) seen.delete(seen.keys().next().value as string);
      try {
        return { duplicate: false, value: await value };
      } catch (err) {
        if (seen.get(id)?.value === value) seen.delete(id);
        throw err;
      }
    },
  };
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same content. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
