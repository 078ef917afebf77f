import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** The built CLI: `npm test` builds it first. */
export const CLI = join(import.meta.dirname, "../../dist/cli.js");
export const ROOT = join(import.meta.dirname, "../..");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], input?: string): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A long-running process (the gateway) whose stderr is watched. */
export class RunningProcess {
  readonly child: ChildProcess;
  #stderr = "";
  #stdout = "";
  readonly exited: Promise<number | null>;

  constructor(command: string, args: readonly string[]) {
    this.child = spawn(command, [...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr?.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString("utf8")));
    this.child.stdout?.on("data", (chunk: Buffer) => (this.#stdout += chunk.toString("utf8")));
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code) => {
        resolve(code);
      });
    });
  }

  static cli(args: readonly string[]): RunningProcess {
    return new RunningProcess(process.execPath, [CLI, ...args]);
  }

  get stderr(): string {
    return this.#stderr;
  }

  get stdout(): string {
    return this.#stdout;
  }

  async waitForStderr(pattern: RegExp, limitMs = 10_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!pattern.test(this.#stderr)) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${String(pattern)} in stderr: ${this.#stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGTERM, then SIGKILL if it does not leave within the limit. */
  async stop(limitMs = 5_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), limitMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** The path of a program, or undefined when it is not installed. */
export function which(program: string): string | undefined {
  const result = spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" });
  const path = result.stdout.trim();
  return result.status === 0 && path !== "" ? path : undefined;
}
