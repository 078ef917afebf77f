import type { IdleSummary } from "./idle-memory.js";
import type { InspectorBenchResult } from "./inspector.bench.js";
import type { LatencySummary } from "./latency.js";
import type { PathId } from "./paths.js";
import type { PathSummary, WorkloadResult } from "./throughput.js";

/** The path the targets judge: smtpguard with full ESMTP inspection. */
const JUDGED: PathId = "smtpguard-esmtp";

/** Issue 7's targets, as ratios measured in one run. */
const MIN_RATE_RATIO = 0.9;
const MIN_RATE_RATIO_LARGE = 0.95;
const MAX_CPU_RATIO = 1.25;
const MAX_ADDED_LATENCY_MS = 2;
const MAX_IDLE_KIB = 16;
const MIN_CONTENT_MBPS = 1_000;
const MIN_LINES_PER_SECOND = 2_000_000;
/** The workload of large messages, where the rate target is stricter. */
const LARGE_WORKLOAD = "1mb";
const PERSISTENT_WORKLOAD = "persistent-1k";

export interface TargetResult {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface TargetInputs {
  readonly throughput: readonly WorkloadResult[];
  readonly latency: readonly LatencySummary[];
  readonly idle: readonly IdleSummary[];
  readonly inspector: InspectorBenchResult | undefined;
}

export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  return [
    ...inputs.throughput.flatMap(workloadTargets),
    ...latencyTargets(inputs.latency),
    ...idleTargets(inputs.idle),
    ...inspectorTargets(inputs.inspector),
  ];
}

function workloadTargets(result: WorkloadResult): TargetResult[] {
  const judged = result.summary.find((summary) => summary.path === JUDGED);
  if (judged === undefined) return [];
  const id = result.workload.id;
  const minRatio = id === LARGE_WORKLOAD ? MIN_RATE_RATIO_LARGE : MIN_RATE_RATIO;
  const targets = [
    atLeast(`${id}: msg/s vs Node relay`, judged.ratioToRelay, minRatio, ratio),
    atMost(`${id}: CPU/msg vs Node relay`, judged.cpuRatioToRelay, MAX_CPU_RATIO, ratio),
  ];
  if (id === PERSISTENT_WORKLOAD) {
    targets.push(atLeast(`${id}: msg/s vs HAProxy`, judged.ratioToHaproxy, 1, ratio));
  }
  if (judged.failedRuns > 0) targets.push(noFailures(id, judged));
  return targets;
}

function latencyTargets(latency: readonly LatencySummary[]): TargetResult[] {
  const judged = latency.find((summary) => summary.path === JUDGED);
  if (judged === undefined) return [];
  const name = "one-message session: added latency vs Node relay";
  return [atMost(name, judged.addedOverRelayMs, MAX_ADDED_LATENCY_MS, milliseconds)];
}

function idleTargets(idle: readonly IdleSummary[]): TargetResult[] {
  const judged = idle.find((summary) => summary.path === JUDGED);
  if (judged === undefined) return [];
  const name = `idle sessions (${judged.open}): memory per session`;
  return [atMost(name, judged.perSessionKiB, MAX_IDLE_KIB, kibibytes)];
}

function inspectorTargets(inspector: InspectorBenchResult | undefined): TargetResult[] {
  if (inspector === undefined) return [];
  return [
    atLeast("inspector: content", inspector.contentMBps, MIN_CONTENT_MBPS, megabytesPerSecond),
    atLeast(
      "inspector: pipelined command lines",
      inspector.pipelinedLinesPerSecond,
      MIN_LINES_PER_SECOND,
      linesPerSecond,
    ),
  ];
}

function noFailures(id: string, summary: PathSummary): TargetResult {
  return {
    target: `${id}: every run completes`,
    goal: "0 failed",
    measured: `${summary.failedRuns} failed`,
    pass: false,
  };
}

function atLeast(
  target: string,
  value: number,
  goal: number,
  format: (value: number) => string,
): TargetResult {
  return { target, goal: `≥ ${format(goal)}`, measured: format(value), pass: value >= goal };
}

function atMost(
  target: string,
  value: number,
  goal: number,
  format: (value: number) => string,
): TargetResult {
  return { target, goal: `≤ ${format(goal)}`, measured: format(value), pass: value <= goal };
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

function milliseconds(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)} ms` : "n/a";
}

function kibibytes(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} KiB` : "n/a";
}

function megabytesPerSecond(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} MB/s` : "n/a";
}

function linesPerSecond(value: number): string {
  return Number.isFinite(value) ? `${(value / 1e6).toFixed(2)} M/s` : "n/a";
}
