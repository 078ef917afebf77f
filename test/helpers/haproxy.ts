import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why a test that needs a Debian tool cannot run here, or undefined when it can. */
export function missingTool(name: string, versionFlag = "-v"): string | undefined {
  const probe = spawnSync(name, [versionFlag], { stdio: "ignore" });
  if (probe.error === undefined) return undefined;
  const reason = `${name} is not installed (.ci/run installs it)`;
  process.stdout.write(`# skipped: ${reason}\n`);
  return reason;
}

/** A port free a moment ago on 127.0.0.1, for programs that cannot be told to use port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = address !== null && typeof address !== "string" ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** HAProxy in the foreground with a configuration made by the test, its log on stdout. */
export class HaproxyProcess {
  readonly #directory = mkdtempSync(join(tmpdir(), "smtpguard-haproxy-"));
  readonly #child: ChildProcess;
  #output = "";

  constructor(sections: string) {
    const file = join(this.#directory, "haproxy.cfg");
    writeFileSync(file, `${GLOBAL}\n${sections}\n`);
    this.#child = spawn("haproxy", ["-db", "-f", file], { stdio: ["ignore", "pipe", "pipe"] });
    this.#child.stdout?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
    this.#child.stderr?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves once HAProxy accepts connections on `port`; rejects after the time limit. */
  async ready(port: number, limitMs = 5_000, host = "127.0.0.1"): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!(await accepts(port, host))) {
      if (Date.now() > deadline) throw new Error(`haproxy did not start: ${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits until HAProxy's log holds `pattern`. */
  async waitForLog(pattern: RegExp, limitMs = 5_000): Promise<string> {
    const deadline = Date.now() + limitMs;
    while (!pattern.test(this.#output)) {
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in: ${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.#output;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null) {
      const exited = new Promise((resolve) => this.#child.once("exit", resolve));
      this.#child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.#directory, { recursive: true, force: true });
  }
}

const GLOBAL = `global
  log stdout format raw local0
  maxconn 256
defaults
  mode tcp
  log global
  option logasap
  log-format "client=%ci:%cp frontend=%f"
  timeout connect 2s
  timeout client 10s
  timeout server 10s`;

function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}
