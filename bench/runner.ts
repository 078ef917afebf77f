import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { measureIdleMemory, type IdleSummary } from "./idle-memory.js";
import type { InspectorBenchResult } from "./inspector.bench.js";
import { measureLatency, type LatencySummary } from "./latency.js";
import {
  DEFAULT_PATHS,
  HAPROXY_LOAD_MAXCONN,
  isPathId,
  startSink,
  transpileNodeRelay,
  type PathContext,
  type PathId,
} from "./paths.js";
import { killChildrenOnExit, runBounded } from "./processes.js";
import { renderMarkdown, saveResults, type Machine, type PartTiming } from "./report.js";
import { buildGateway, debianVersion, ensureTools, versionLine, type Tools } from "./setup.js";
import { evaluateTargets } from "./targets.js";
import { measureWorkload, type WorkloadResult } from "./throughput.js";
import { workloads } from "./workloads.js";

/**
 * `npm run bench`: builds the gateway, then measures every path under every workload round by
 * round, the one-message latency, the memory of idle sessions and the inspector alone, and
 * prints one markdown table (stdout) and saves it with a JSON file in bench/results/.
 * Progress goes to stderr. Options, after `npm run bench --`:
 *
 *   --rounds N        measured rounds per workload (at least 3; default 5)
 *   --scale F         multiply every workload's message count (default 1)
 *   --latency N       one-message sessions per path (default 50)
 *   --idle N          idle sessions held through each relay (default 5000)
 *   --parts LIST      of throughput,latency,idle,inspector (default all)
 *   --paths LIST      of direct,node-relay,haproxy,smtpguard-smtp,smtpguard-esmtp and the
 *                     diagnostic smtpguard-tcp (default the first five)
 *   --cli FILE        the built CLI to run the gateways from (default dist/cli.js)
 *   --no-build        skip `npm run build`
 *   --profile         V8 CPU profiles of the Node processes, in bench/results/profiles/
 *   --keep-logs       keep the relays' logs and configurations (printed path)
 */

const ROOT = join(import.meta.dirname, "..");
const RESULTS_DIRECTORY = join(ROOT, "bench", "results");

const DEFAULT_ROUNDS = 5;
const DEFAULT_LATENCY_SESSIONS = 50;
const DEFAULT_IDLE_SESSIONS = 5_000;
/** HAProxy must admit every idle session, so its limit is raised above the idle count. */
const IDLE_HAPROXY_MAXCONN = 6_000;
/** The whole suite is stopped past this, whatever hangs (it takes about 4 minutes). */
const SUITE_DEADLINE_MS = 20 * 60_000;
const INSPECTOR_TIMEOUT_MS = 5 * 60_000;

interface Settings {
  readonly rounds: number;
  readonly scale: number;
  readonly latencySessions: number;
  readonly idleSessions: number;
  readonly build: boolean;
  readonly profile: boolean;
  readonly keepLogs: boolean;
  /** The built CLI the gateways run; another build can be compared with `--cli`. */
  readonly cli: string;
  readonly parts: ReadonlySet<string>;
  readonly paths: readonly PathId[];
}

interface Measured {
  throughput: WorkloadResult[];
  latency: LatencySummary[];
  idle: IdleSummary[];
  inspector: InspectorBenchResult | undefined;
}

const timings: PartTiming[] = [];

async function main(): Promise<void> {
  const settings = readSettings();
  killChildrenOnExit();
  setTimeout(() => {
    log(`the suite ran past ${SUITE_DEADLINE_MS / 60_000} minutes: stopped`);
    process.exit(1);
  }, SUITE_DEADLINE_MS).unref();

  const tools = timed("tools check", () => ensureTools(log));
  if (settings.build)
    timed("npm run build", () => {
      buildGateway(ROOT);
    });
  const workDir = mkdtempSync(join(tmpdir(), "smtpguard-bench-"));
  const measured = await measureAll(settings, tools, workDir).catch((error: unknown) => {
    log(`the logs of the relays are kept in ${workDir}`);
    throw error;
  });
  if (settings.keepLogs) log(`the logs of the relays are in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });

  const results = {
    machine: describeMachine(tools),
    settings: { rounds: settings.rounds, scale: settings.scale, idle: settings.idleSessions },
    ...measured,
    targets: evaluateTargets(measured),
    timings,
  };
  const markdown = renderMarkdown(results);
  process.stdout.write(markdown);
  for (const file of saveResults(results, RESULTS_DIRECTORY, markdown)) log(`wrote ${file}`);
}

async function measureAll(settings: Settings, tools: Tools, workDir: string): Promise<Measured> {
  const sink = await startSink(tools, workDir);
  const context: PathContext = {
    root: ROOT,
    cli: settings.cli,
    workDir,
    tools,
    sinkPort: sink.port,
    nodeRelayScript: transpileNodeRelay(ROOT, workDir),
    haproxyMaxconn: HAPROXY_LOAD_MAXCONN,
    paths: settings.paths,
    profileDir: settings.profile ? join(RESULTS_DIRECTORY, "profiles") : undefined,
  };
  const measured: Measured = { throughput: [], latency: [], idle: [], inspector: undefined };
  try {
    if (settings.parts.has("throughput")) {
      for (const workload of workloads(settings.scale)) {
        const result = await timedAsync(`throughput ${workload.id}`, () =>
          measureWorkload(workload, context, settings.rounds, log),
        );
        measured.throughput.push(result);
      }
    }
    if (settings.parts.has("latency")) {
      measured.latency = await timedAsync("latency", () =>
        measureLatency(context, settings.latencySessions),
      );
    }
    if (settings.parts.has("idle")) {
      const idleContext = { ...context, haproxyMaxconn: IDLE_HAPROXY_MAXCONN };
      measured.idle = await timedAsync("idle sessions", () =>
        measureIdleMemory(idleContext, settings.idleSessions),
      );
    }
  } finally {
    await sink.daemon.stop();
  }
  if (settings.parts.has("inspector")) {
    measured.inspector = await timedAsync("inspector micro-benchmark", runInspectorChild);
  }
  return measured;
}

/** The micro-benchmark runs in a fresh process, away from the sockets of the other parts. */
async function runInspectorChild(): Promise<InspectorBenchResult> {
  const script = join(ROOT, "bench", "inspector.bench.ts");
  const args = ["--import", "tsx", script, "--json"];
  const result = await runBounded(process.execPath, args, INSPECTOR_TIMEOUT_MS);
  if (result.code !== 0) throw new Error(`inspector bench failed: ${result.stderr}`);
  const lines = result.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "{}") as InspectorBenchResult;
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: String(DEFAULT_ROUNDS) },
      scale: { type: "string", default: "1" },
      latency: { type: "string", default: String(DEFAULT_LATENCY_SESSIONS) },
      idle: { type: "string", default: String(DEFAULT_IDLE_SESSIONS) },
      parts: { type: "string", default: "throughput,latency,idle,inspector" },
      paths: { type: "string", default: DEFAULT_PATHS.join(",") },
      "no-build": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "keep-logs": { type: "boolean", default: false },
      cli: { type: "string", default: join(ROOT, "dist", "cli.js") },
    },
  });
  return {
    rounds: Math.max(3, positive(values.rounds, "--rounds")),
    scale: positive(values.scale, "--scale"),
    latencySessions: positive(values.latency, "--latency"),
    idleSessions: positive(values.idle, "--idle"),
    build: !values["no-build"],
    profile: values.profile,
    keepLogs: values["keep-logs"],
    cli: values.cli,
    parts: new Set(values.parts.split(",")),
    paths: pathList(values.paths),
  };
}

function pathList(text: string): PathId[] {
  const ids = text.split(",");
  const unknown = ids.filter((id) => !isPathId(id));
  if (unknown.length > 0) throw new Error(`--paths: unknown ${unknown.join(", ")}`);
  return ids.filter(isPathId);
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} wants a positive number`);
  return value;
}

function describeMachine(tools: Tools): Machine {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    haproxy: versionLine(tools.haproxy, ["-v"]).replace(/ - https.*$/, ""),
    postfix: debianVersion("postfix"),
  };
}

function timed<T>(part: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  record(part, started);
  return result;
}

async function timedAsync<T>(part: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  record(part, started);
  return result;
}

function record(part: string, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  timings.push({ part, seconds });
  log(`${part}: ${seconds.toFixed(1)} s`);
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

try {
  await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
