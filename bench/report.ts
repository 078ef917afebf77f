import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { IdleSummary } from "./idle-memory.js";
import type { InspectorBenchResult } from "./inspector.bench.js";
import type { LatencySummary } from "./latency.js";
import type { TargetResult } from "./targets.js";
import type { PathSummary, WorkloadResult } from "./throughput.js";

export interface Machine {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly kernel: string;
  readonly node: string;
  readonly haproxy: string;
  readonly postfix: string;
}

export interface PartTiming {
  readonly part: string;
  readonly seconds: number;
}

/** Everything one `npm run bench` measured; the JSON file holds exactly this. */
export interface SuiteResults {
  readonly machine: Machine;
  readonly settings: { readonly rounds: number; readonly scale: number; readonly idle: number };
  readonly throughput: readonly WorkloadResult[];
  readonly latency: readonly LatencySummary[];
  readonly idle: readonly IdleSummary[];
  readonly inspector: InspectorBenchResult | undefined;
  readonly targets: readonly TargetResult[];
  readonly timings: readonly PartTiming[];
}

const KIB_PER_MIB = 1_024;

/** Writes the results as JSON (NaN becomes null) and the table as markdown; returns the paths. */
export function saveResults(results: SuiteResults, directory: string, markdown: string): string[] {
  mkdirSync(directory, { recursive: true });
  const stamp = results.machine.date.replace(/[:.]/g, "-");
  const json = join(directory, `bench-${stamp}.json`);
  const table = join(directory, `bench-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(results, nanAsNull, 2)}\n`);
  writeFileSync(table, markdown);
  return [json, table];
}

export function renderMarkdown(results: SuiteResults): string {
  return [
    header(results),
    ...results.throughput.map((result) => throughputTable(result, results.settings.rounds)),
    latencyTable(results.latency),
    idleTable(results.idle),
    inspectorTable(results.inspector),
    targetTable(results.targets),
    timingTable(results.timings),
  ]
    .filter((section) => section !== "")
    .join("\n");
}

function header(results: SuiteResults): string {
  const { machine } = results;
  return [
    `# smtpguard benchmark, ${machine.date}`,
    "",
    `${machine.cpu}, ${machine.cores} cores, Linux ${machine.kernel}; Node ${machine.node}; ` +
      `${machine.haproxy}; Postfix ${machine.postfix} smtp-source and smtp-sink; all on 127.0.0.1.`,
    "",
  ].join("\n");
}

function throughputTable(result: WorkloadResult, rounds: number): string {
  const { workload } = result;
  const heading = `## ${workload.title}: ${workload.messages} messages per run, ${rounds} rounds`;
  const columns = [
    "path",
    "msg/s (median)",
    "min–max",
    "× Node relay",
    "× HAProxy",
    "relay CPU µs/msg",
    "CPU × Node relay",
    "peak RSS MiB",
  ];
  const rows = result.summary.map(throughputRow);
  return section(heading, table(columns, rows, [0]));
}

function throughputRow(summary: PathSummary): string[] {
  const failed = summary.failedRuns > 0 ? ` (${summary.failedRuns} failed)` : "";
  return [
    summary.path,
    `${fixed(summary.medianRate, 0)}${failed}`,
    `${fixed(summary.minRate, 0)}–${fixed(summary.maxRate, 0)}`,
    fixed(summary.ratioToRelay, 2),
    fixed(summary.ratioToHaproxy, 2),
    fixed(summary.cpuPerMessageUs, 1),
    fixed(summary.cpuRatioToRelay, 2),
    fixed(summary.peakRssKiB / KIB_PER_MIB, 1),
  ];
}

function latencyTable(latency: readonly LatencySummary[]): string {
  if (latency.length === 0) return "";
  const sessions = latency[0]?.sessions ?? 0;
  const heading = `## One-message session, HELO to QUIT (${sessions} sequential sessions a path)`;
  const columns = [
    "path",
    "median ms",
    "p90 ms",
    "added over direct ms",
    "added over Node relay ms",
    "failed",
  ];
  const rows = latency.map((summary) => [
    summary.path,
    fixed(summary.medianMs, 3),
    fixed(summary.p90Ms, 3),
    fixed(summary.addedOverDirectMs, 3),
    fixed(summary.addedOverRelayMs, 3),
    String(summary.failed),
  ]);
  return section(heading, table(columns, rows, [0]));
}

function idleTable(idle: readonly IdleSummary[]): string {
  if (idle.length === 0) return "";
  const heading = `## Idle sessions held open (greeted, then silent), fresh relay each`;
  const columns = ["path", "open", "failed", "RSS before MiB", "RSS after MiB", "KiB / session"];
  const rows = idle.map((summary) => [
    summary.path,
    String(summary.open),
    summary.failed === 0 ? "0" : `${summary.failed} (${summary.firstError.slice(0, 60)})`,
    fixed(summary.rssBeforeKiB / KIB_PER_MIB, 1),
    fixed(summary.rssAfterKiB / KIB_PER_MIB, 1),
    fixed(summary.perSessionKiB, 1),
  ]);
  return section(heading, table(columns, rows, [0, 2]));
}

function inspectorTable(inspector: InspectorBenchResult | undefined): string {
  if (inspector === undefined) return "";
  const kib = inspector.chunkOctets / KIB_PER_MIB;
  const heading =
    `## Inspector alone (esmtp, no sockets, ${kib} KiB chunks, ` +
    `per CPU second, median of ${inspector.rounds} rounds)`;
  const columns = ["figure", "inspector", "baseline", "ratio", "baseline"];
  const line = "indexOf(LF) per line";
  const rows = [
    contentRow("content MB/s", inspector.contentMBps, inspector.memmemMBps, "indexOf(CRLF.CRLF)"),
    contentRow("content MB/s", inspector.contentMBps, inspector.lineWalkMBps, line),
    contentRow(
      "pipelined lines/s",
      inspector.pipelinedLinesPerSecond,
      inspector.lineWalkLinesPerSecond,
      line,
    ),
    contentRow(
      "one line a read, lines/s",
      inspector.sequentialLinesPerSecond,
      inspector.lineWalkLinesPerSecond,
      line,
    ),
  ];
  return section(heading, table(columns, rows, [0, 4]));
}

function contentRow(name: string, inspector: number, baseline: number, what: string): string[] {
  return [name, fixed(inspector, 0), fixed(baseline, 0), fixed(inspector / baseline, 2), what];
}

function targetTable(targets: readonly TargetResult[]): string {
  if (targets.length === 0) return "";
  const heading = "## Targets (smtpguard esmtp, ratios within this run)";
  const columns = ["target", "goal", "measured", "result"];
  const rows = targets.map((target) => [
    target.target,
    target.goal,
    target.measured,
    target.pass ? "PASS" : "**MISS**",
  ]);
  const passed = targets.filter((target) => target.pass).length;
  return section(
    heading,
    `${table(columns, rows, [0, 3])}\n\n${passed} of ${targets.length} hold.`,
  );
}

function timingTable(timings: readonly PartTiming[]): string {
  const total = timings.reduce((sum, timing) => sum + timing.seconds, 0);
  const rows = [...timings, { part: "total", seconds: total }].map((timing) => [
    timing.part,
    fixed(timing.seconds, 1),
  ]);
  return section("## Time taken", table(["part", "seconds"], rows, [0]));
}

function section(heading: string, body: string): string {
  return `${heading}\n\n${body}\n`;
}

/** A markdown table; the columns listed in `leftAligned` hold text, the others numbers. */
function table(
  columns: readonly string[],
  rows: readonly string[][],
  leftAligned: number[],
): string {
  const align = columns.map((_, index) => (leftAligned.includes(index) ? "---" : "---:"));
  return [columns, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "—";
}

function nanAsNull(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
