import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The programs the suite drives, by absolute path. */
export interface Tools {
  readonly smtpSource: string;
  readonly smtpSink: string;
  readonly haproxy: string;
}

/** Where Debian puts Postfix's test programs and haproxy, which may not be on a user's PATH. */
const SEARCH_DIRECTORIES = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

// Postfix is installed for smtp-source and smtp-sink only: no mail system is configured.
const POSTFIX_PRESEED = "postfix postfix/main_mailer_type select No configuration\n";
const POLICY_RC_D = "/usr/sbin/policy-rc.d";
// policy-rc.d(8): exit status 101 means "action forbidden", so no service starts.
const FORBID_SERVICE_START = "#!/bin/sh\nexit 101\n";

/** Finds the tools, installing postfix and haproxy with apt-get when one is missing. */
export function ensureTools(log: (line: string) => void): Tools {
  const missing = missingPackages();
  if (missing.length > 0) {
    log(`installing ${missing.join(", ")} with apt-get`);
    installPackages(missing);
  }
  return {
    smtpSource: requireTool("smtp-source"),
    smtpSink: requireTool("smtp-sink"),
    haproxy: requireTool("haproxy"),
  };
}

/** Builds dist/ so that the gateway runs as users run it, from the built CLI. */
export function buildGateway(root: string): void {
  const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed; the bench needs dist/cli.js");
}

/** The first output line of `command args`, for the report's machine description. */
export function versionLine(command: string, args: readonly string[]): string {
  const result = spawnSync(command, [...args], { encoding: "utf8" });
  const text = `${result.stdout}${result.stderr}`.trim();
  return text.split("\n")[0] ?? "";
}

export function debianVersion(packageName: string): string {
  const result = spawnSync("dpkg-query", ["-W", "-f", "${Version}", packageName], {
    encoding: "utf8",
  });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

function missingPackages(): string[] {
  const missing: string[] = [];
  if (findTool("smtp-source") === undefined || findTool("smtp-sink") === undefined) {
    missing.push("postfix");
  }
  if (findTool("haproxy") === undefined) missing.push("haproxy");
  return missing;
}

function installPackages(packages: readonly string[]): void {
  if (process.getuid?.() !== 0) {
    throw new Error(`run as root, or install first: apt-get install -y ${packages.join(" ")}`);
  }
  run("debconf-set-selections", [], POSTFIX_PRESEED);
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy) writeFileSync(POLICY_RC_D, FORBID_SERVICE_START, { mode: 0o755 });
  try {
    run("apt-get", ["update"]);
    run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]);
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
}

function run(command: string, args: readonly string[], input?: string): void {
  const result = spawnSync(command, [...args], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    stdio: [input === undefined ? "ignore" : "pipe", 2, 2],
    ...(input === undefined ? {} : { input }),
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
}

function requireTool(name: string): string {
  const path = findTool(name);
  if (path === undefined) throw new Error(`${name} is not installed`);
  return path;
}

function findTool(name: string): string | undefined {
  const directories = [...(process.env.PATH ?? "").split(":"), ...SEARCH_DIRECTORIES];
  for (const directory of directories) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
