import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { connect, createServer } from "node:net";

/** File descriptors a daemon may open: 5000 idle sessions through a relay take two each. */
export const DAEMON_FD_LIMIT = 20_000;

/** How long a stopped daemon gets to exit on SIGTERM before it is killed. */
const STOP_GRACE_MS = 3_000;

/** Output kept from a bounded run, so a chatty tool cannot fill the bench's memory. */
const MAX_CAPTURED_OCTETS = 65_536;

// Raises the soft file limit as far as allowed, then becomes the program (same pid).
const WITH_FD_LIMIT = [
  `ulimit -n ${DAEMON_FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"`,
  'exec "$@"',
].join("; ");

const owned = new Set<ChildProcess>();

/** A long-running child (sink, relay, gateway) that the bench owns and stops. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly exited: boolean;
  stop(): Promise<void>;
}

export interface BoundedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Kills every child still running when the bench exits, however it exits. */
export function killChildrenOnExit(): void {
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

export function killAllNow(): void {
  for (const child of owned) child.kill("SIGKILL");
  owned.clear();
}

/** Starts a daemon with a raised file limit; its stdout and stderr go to `logFile`. */
export function startDaemon(
  name: string,
  command: string,
  args: readonly string[],
  logFile: string,
): Daemon {
  const log = openSync(logFile, "a");
  const child = spawn("bash", ["-c", WITH_FD_LIMIT, "bash", command, ...args], {
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  own(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${command}`);
  return {
    name,
    pid,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    stop: () => stopChild(child),
  };
}

/** Runs a program to its end, killed after `timeoutMs`; the time is spawn to exit. */
export function runBounded(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<BoundedRun> {
  const started = performance.now();
  const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
  own(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  let seconds = 0;
  child.once("exit", () => {
    seconds = (performance.now() - started) / 1000;
    clearTimeout(timer);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      resolve({ code, signal, timedOut, seconds, stdout: stdout(), stderr: stderr() });
    });
  });
}

/** Starts a child that reads commands on stdin and answers on stdout (the idle clients). */
export function startWorker(command: string, args: readonly string[]): ChildProcess {
  const child = spawn("bash", ["-c", WITH_FD_LIMIT, "bash", command, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  own(child);
  return child;
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Waits until something accepts connections on 127.0.0.1:port. */
export async function waitForPort(port: number, daemon: Daemon, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await accepts(port))) {
    if (daemon.exited) throw new Error(`${daemon.name} exited before listening on ${port}`);
    if (Date.now() > deadline) throw new Error(`${daemon.name} is not listening on ${port}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

function own(child: ChildProcess): void {
  owned.add(child);
  child.once("exit", () => owned.delete(child));
}

function capture(stream: NodeJS.ReadableStream | null): () => string {
  let text = "";
  stream?.on("data", (chunk: Buffer) => {
    if (text.length < MAX_CAPTURED_OCTETS) text += chunk.toString("utf8");
  });
  return () => text;
}
