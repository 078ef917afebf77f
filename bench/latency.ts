import { median, percentile } from "./measure.js";
import { startPaths, stopPaths, type PathContext, type PathId } from "./paths.js";
import { oneMessageSession, smallMessage } from "./smtp-client.js";

/** Sessions per path thrown away before measuring, so the relays run optimized code. */
const WARM_UP_SESSIONS = 20;

export interface LatencySummary {
  readonly path: PathId;
  readonly sessions: number;
  /** Sessions that did not complete; they count in no figure. */
  readonly failed: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** Median of this path minus median of the direct path. */
  readonly addedOverDirectMs: number;
  /** Median of this path minus median of the plain Node relay. */
  readonly addedOverRelayMs: number;
}

/**
 * The time of a whole one-message session (connect, HELO to QUIT, one command at a time),
 * `sessions` times per path, one path after the other in each iteration.
 */
export async function measureLatency(
  context: PathContext,
  sessions: number,
): Promise<LatencySummary[]> {
  const paths = await startPaths(context.paths, context);
  const message = smallMessage();
  try {
    for (const path of paths) {
      for (let index = 0; index < WARM_UP_SESSIONS; index++) {
        await oneMessageSession(path.port, message);
      }
    }
    const durations = new Map<PathId, number[]>(context.paths.map((id) => [id, []]));
    for (let index = 0; index < sessions; index++) {
      for (const path of paths) {
        const duration = await oneMessageSession(path.port, message).catch(() => Number.NaN);
        durations.get(path.id)?.push(duration);
      }
    }
    return summarize(durations, context.paths);
  } finally {
    await stopPaths(paths);
  }
}

function summarize(
  durations: ReadonlyMap<PathId, number[]>,
  ids: readonly PathId[],
): LatencySummary[] {
  const medianOf = (id: PathId): number => median(durations.get(id) ?? []);
  return ids.map((path) => {
    const own = durations.get(path) ?? [];
    return {
      path,
      sessions: own.length,
      failed: own.filter((duration) => Number.isNaN(duration)).length,
      medianMs: medianOf(path),
      p90Ms: percentile(own, 0.9),
      addedOverDirectMs: medianOf(path) - medianOf("direct"),
      addedOverRelayMs: medianOf(path) - medianOf("node-relay"),
    };
  });
}
