import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import ts from "typescript";

import { freePort, startDaemon, waitForPort, type Daemon } from "./processes.js";
import type { Tools } from "./setup.js";

/**
 * The ways from smtp-source to smtp-sink. The suite compares the first five; smtpguard-tcp
 * (the gateway with a tcp rule: sessions and timers, no inspector) is there on request
 * (`--paths`), to tell the cost of the gateway from the cost of the inspection.
 */
export const PATH_IDS = [
  "direct",
  "node-relay",
  "haproxy",
  "smtpguard-smtp",
  "smtpguard-esmtp",
  "smtpguard-tcp",
] as const;

export type PathId = (typeof PATH_IDS)[number];

export const DEFAULT_PATHS: readonly PathId[] = PATH_IDS.filter((id) => id !== "smtpguard-tcp");

export function isPathId(text: string): text is PathId {
  return (PATH_IDS as readonly string[]).includes(text);
}

/** HAProxy's connection limit for the load runs; it must fit the process's file limit. */
export const HAPROXY_LOAD_MAXCONN = 4_096;

/** smtp-sink's limit on simultaneous sessions (default 256): the idle test holds 5000. */
const SINK_MAX_SESSIONS = 6_000;
const SINK_BACKLOG = 4_096;

type GatewayRule = "smtp" | "esmtp" | "tcp";

export interface PathContext {
  readonly root: string;
  /** The built smtpguard CLI, dist/cli.js unless asked otherwise. */
  readonly cli: string;
  readonly workDir: string;
  readonly tools: Tools;
  readonly sinkPort: number;
  /** The relay script, transpiled once to plain JavaScript. */
  readonly nodeRelayScript: string;
  readonly haproxyMaxconn: number;
  /** The paths being compared, in the order they run in the first round. */
  readonly paths: readonly PathId[];
  /** When set, the gateways write V8 CPU profiles here. */
  readonly profileDir?: string | undefined;
}

/** A path ready to take connections on `port`; `pid` is its relay process, if any. */
export interface RunningPath {
  readonly id: PathId;
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export async function startPath(id: PathId, context: PathContext): Promise<RunningPath> {
  if (id === "direct") {
    return { id, port: context.sinkPort, pid: undefined, stop: () => Promise.resolve() };
  }
  const port = await freePort();
  const daemon = startRelay(id, port, context);
  try {
    await waitForPort(port, daemon);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return { id, port, pid: daemon.pid, stop: () => daemon.stop() };
}

export async function startPaths(
  ids: readonly PathId[],
  context: PathContext,
): Promise<RunningPath[]> {
  const started: RunningPath[] = [];
  try {
    for (const id of ids) started.push(await startPath(id, context));
  } catch (error) {
    await stopPaths(started);
    throw error;
  }
  return started;
}

export async function stopPaths(paths: readonly RunningPath[]): Promise<void> {
  await Promise.all(paths.map((path) => path.stop()));
}

/** Starts smtp-sink on a free port; as root it must drop to an unprivileged user. */
export async function startSink(
  tools: Tools,
  workDir: string,
): Promise<{ daemon: Daemon; port: number }> {
  const port = await freePort();
  const user = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
  const args = [
    ...user,
    "-m",
    String(SINK_MAX_SESSIONS),
    `127.0.0.1:${port}`,
    String(SINK_BACKLOG),
  ];
  const daemon = startDaemon("smtp-sink", tools.smtpSink, args, join(workDir, "smtp-sink.log"));
  await waitForPort(port, daemon);
  return { daemon, port };
}

/** Writes bench/node-relay.ts as plain JavaScript so the relay runs without a TS loader. */
export function transpileNodeRelay(root: string, workDir: string): string {
  const source = readFileSync(join(root, "bench", "node-relay.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const script = join(workDir, "node-relay.mjs");
  writeFileSync(script, outputText);
  return script;
}

function startRelay(id: Exclude<PathId, "direct">, port: number, context: PathContext): Daemon {
  const log = join(context.workDir, `${id}.log`);
  const upstream = String(context.sinkPort);
  switch (id) {
    case "node-relay": {
      const args = [
        ...profileArgs(id, port, context),
        context.nodeRelayScript,
        String(port),
        upstream,
      ];
      return startDaemon(id, process.execPath, args, log);
    }
    case "haproxy": {
      const args = ["-db", "-f", haproxyConfig(port, context)];
      return startDaemon(id, context.tools.haproxy, args, log);
    }
    case "smtpguard-smtp":
      return startGateway(id, port, "smtp", context, log);
    case "smtpguard-esmtp":
      return startGateway(id, port, "esmtp", context, log);
    case "smtpguard-tcp":
      return startGateway(id, port, "tcp", context, log);
  }
}

function startGateway(
  id: PathId,
  port: number,
  inspect: GatewayRule,
  context: PathContext,
  log: string,
): Daemon {
  const config = join(context.workDir, `${id}-${port}.conf`);
  writeFileSync(config, gatewayConfig(port, context.sinkPort, inspect));
  const args = [...profileArgs(id, port, context), context.cli, "run", "--config", config];
  return startDaemon(id, process.execPath, args, log);
}

/** V8's CPU profile of a Node relay, named after the path and its port (unique per start). */
function profileArgs(id: PathId, port: number, context: PathContext): string[] {
  if (context.profileDir === undefined) return [];
  const name = `${id}-${port}.cpuprofile`;
  return ["--cpu-prof", "--cpu-prof-dir", context.profileDir, "--cpu-prof-name", name];
}

/**
 * What `run --listen 127.0.0.1:PORT --upstream 127.0.0.1:SINK --inspect RULE` builds, plus
 * the denial-of-service thresholds lifted: at IOS's defaults (one-minute high 500, 50 half-open
 * per host) a load generator on one address is a flood, and the gateway rightly drops it.
 */
function gatewayConfig(port: number, sinkPort: number, inspect: GatewayRule): string {
  return [
    "hostname smtpguard",
    `ip port-map smtp port ${port}`,
    "ip inspect one-minute high unlimited",
    "ip inspect one-minute low unlimited",
    "ip inspect max-incomplete high unlimited",
    "ip inspect max-incomplete low unlimited",
    // IOS's largest per-host limit; the bench has at most 200 sessions opening at once.
    "ip inspect tcp max-incomplete host 250 block-time 0",
    `ip inspect name BENCH ${inspect}`,
    "interface Ethernet0/0",
    " ip address 127.0.0.1 255.255.255.0",
    " ip inspect BENCH in",
    `ip nat inside source static tcp 127.0.0.1 ${sinkPort} 127.0.0.1 ${port}`,
    "end",
    "",
  ].join("\n");
}

// One thread, plain TCP relay, no logging: the fastest configuration of a C proxy.
function haproxyConfig(port: number, context: PathContext): string {
  const file = join(context.workDir, `haproxy-${port}.cfg`);
  const text = [
    "global",
    "  nbthread 1",
    `  maxconn ${context.haproxyMaxconn}`,
    "defaults",
    "  mode tcp",
    "  timeout connect 5s",
    "  timeout client 300s",
    "  timeout server 300s",
    "listen smtp",
    `  bind 127.0.0.1:${port}`,
    `  maxconn ${context.haproxyMaxconn}`,
    `  server sink 127.0.0.1:${context.sinkPort}`,
    "",
  ].join("\n");
  writeFileSync(file, text);
  return file;
}
