import { cpuSeconds, maximum, median, memoryKiB, minimum, readingOf } from "./measure.js";
import { startPaths, stopPaths, type PathContext, type PathId } from "./paths.js";
import type { RunningPath } from "./paths.js";
import { runBounded, sleep } from "./processes.js";
import { smtpSourceArgs, warmUp, type Workload } from "./workloads.js";

/** A run that takes longer than this has hung: it is killed and reported as failed. */
const RUN_TIMEOUT_MS = 120_000;

/** A breath between runs, so sockets of one run are gone before the next starts. */
const PAUSE_BETWEEN_RUNS_MS = 100;

/** One smtp-source run through one path. */
export interface Run {
  readonly round: number;
  readonly path: PathId;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  /** CPU seconds the path's relay process spent during the run (none for direct). */
  readonly relayCpuSeconds: number;
  readonly error?: string;
}

/** A path's figures over all rounds; ratios are taken round by round, then their median. */
export interface PathSummary {
  readonly path: PathId;
  readonly medianRate: number;
  readonly minRate: number;
  readonly maxRate: number;
  readonly ratioToRelay: number;
  readonly ratioToHaproxy: number;
  readonly cpuPerMessageUs: number;
  readonly cpuRatioToRelay: number;
  readonly peakRssKiB: number;
  readonly failedRuns: number;
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly runs: readonly Run[];
  readonly summary: readonly PathSummary[];
}

/**
 * Runs `workload` through every path, `rounds` times, round by round, with fresh relay
 * processes so that their peak RSS belongs to this workload alone.
 */
export async function measureWorkload(
  workload: Workload,
  context: PathContext,
  rounds: number,
  log: (line: string) => void,
): Promise<WorkloadResult> {
  const paths = await startPaths(context.paths, context);
  try {
    for (const path of paths) await runOnce(warmUp(workload), path, context, -1);
    const runs: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const path of rotate(paths, round)) {
        const run = await runOnce(workload, path, context, round);
        log(describeRun(workload, run));
        runs.push(run);
        await sleep(PAUSE_BETWEEN_RUNS_MS);
      }
    }
    const peaks = new Map(paths.map((path) => [path.id, peakRss(path)]));
    const summary = summarize(runs, peaks, workload.messages, context.paths);
    return { workload, runs, summary };
  } finally {
    await stopPaths(paths);
  }
}

async function runOnce(
  workload: Workload,
  path: RunningPath,
  context: PathContext,
  round: number,
): Promise<Run> {
  const cpuBefore = readingOf(path.pid, cpuSeconds);
  const args = smtpSourceArgs(workload, path.port);
  const result = await runBounded(context.tools.smtpSource, args, RUN_TIMEOUT_MS);
  const relayCpuSeconds = readingOf(path.pid, cpuSeconds) - cpuBefore;
  const relayGone = path.pid !== undefined && Number.isNaN(relayCpuSeconds);
  const failed = result.timedOut || result.code !== 0 || relayGone;
  const run = {
    round,
    path: path.id,
    seconds: result.seconds,
    messagesPerSecond: failed ? Number.NaN : workload.messages / result.seconds,
    relayCpuSeconds,
  };
  if (!failed) return run;
  const why = relayGone
    ? "the relay process is gone"
    : result.timedOut
      ? "timed out"
      : `exit ${result.code ?? result.signal ?? "?"}`;
  return { ...run, error: `${why}: ${result.stderr.trim().slice(0, 200)}` };
}

function summarize(
  runs: readonly Run[],
  peaks: ReadonlyMap<PathId, number>,
  messages: number,
  ids: readonly PathId[],
): PathSummary[] {
  const byRound = groupByRound(runs);
  return ids.map((path) => {
    const own = runs.filter((run) => run.path === path);
    const rates = own.map(rateOf);
    const cpuPerMessage = own.map((run) => cpuOf(run) / messages);
    return {
      path,
      medianRate: median(rates),
      minRate: minimum(rates),
      maxRate: maximum(rates),
      ratioToRelay: median(roundRatios(byRound, path, "node-relay", rateOf)),
      ratioToHaproxy: median(roundRatios(byRound, path, "haproxy", rateOf)),
      cpuPerMessageUs: median(cpuPerMessage) * 1e6,
      cpuRatioToRelay: median(roundRatios(byRound, path, "node-relay", cpuOf)),
      peakRssKiB: peaks.get(path) ?? Number.NaN,
      failedRuns: own.filter((run) => run.error !== undefined).length,
    };
  });
}

function rateOf(run: Run): number {
  return run.messagesPerSecond;
}

/** CPU per message; the message count is the same for every path of a workload. */
function cpuOf(run: Run): number {
  return Number.isFinite(run.messagesPerSecond) ? run.relayCpuSeconds : Number.NaN;
}

function roundRatios(
  byRound: ReadonlyMap<number, ReadonlyMap<PathId, Run>>,
  path: PathId,
  reference: PathId,
  figure: (run: Run) => number,
): number[] {
  const ratios: number[] = [];
  for (const round of byRound.values()) {
    const own = round.get(path);
    const other = round.get(reference);
    if (own !== undefined && other !== undefined) ratios.push(figure(own) / figure(other));
  }
  return ratios;
}

function groupByRound(runs: readonly Run[]): Map<number, Map<PathId, Run>> {
  const rounds = new Map<number, Map<PathId, Run>>();
  for (const run of runs) {
    const round = rounds.get(run.round) ?? new Map<PathId, Run>();
    round.set(run.path, run);
    rounds.set(run.round, round);
  }
  return rounds;
}

/** The paths in a different order each round, so no path always runs first or last. */
function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function peakRss(path: RunningPath): number {
  return readingOf(path.pid, (pid) => memoryKiB(pid, "VmHWM"));
}

function describeRun(workload: Workload, run: Run): string {
  const rate = run.error ?? `${Math.round(run.messagesPerSecond)} msg/s`;
  return `  ${workload.id} round ${run.round + 1} ${run.path}: ${rate}`;
}
