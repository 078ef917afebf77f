/**
 * `show running-config`, `show version` and `show logging`: the system-wide show commands,
 * laid out as IOS lays them out, saying only what smtpguard really has.
 */

import { readFileSync } from "node:fs";

import { renderRunningConfig } from "../config/render.js";
import type { LogLevel, LoggingConfig, RouterConfig } from "../config/model.js";
import { textOf } from "./exec-answer.js";

/** `Building configuration...`, a blank line, the size of what follows, then the config. */
export function showRunningConfig(model: RouterConfig): string {
  const body = `!\n${renderRunningConfig(model)}`;
  const size = Buffer.byteLength(body, "utf8");
  return `Building configuration...\n\nCurrent configuration : ${size} bytes\n${body}`;
}

let cachedVersion: string | undefined;

/** The version in package.json, two folders up from both src/exec and dist/exec. */
export function productVersion(): string {
  if (cachedVersion === undefined) {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const parsed = JSON.parse(text) as { version?: unknown };
    cachedVersion = typeof parsed.version === "string" ? parsed.version : "unknown";
  }
  return cachedVersion;
}

export interface VersionFacts {
  readonly version: string;
  readonly hostname: string;
  /** Undefined offline: there is no running gateway to have an uptime. */
  readonly uptimeMs: number | undefined;
}

export function showVersion(facts: VersionFacts): string {
  const lines = [
    `smtpguard SMTP/ESMTP inspection gateway, Version ${facts.version}`,
    `Running on Node.js ${process.version} (${process.platform} ${process.arch})`,
  ];
  if (facts.uptimeMs !== undefined) {
    lines.push("", `${facts.hostname} uptime is ${uptimeText(facts.uptimeMs)}`);
  }
  return textOf(lines);
}

const UPTIME_UNITS: readonly (readonly [string, number])[] = [
  ["week", 7 * 24 * 3_600_000],
  ["day", 24 * 3_600_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** IOS's `1 week, 2 days, 3 hours, 4 minutes`, leaving out the units that are zero. */
export function uptimeText(ms: number): string {
  let left = Math.max(0, ms);
  const parts: string[] = [];
  for (const [unit, size] of UPTIME_UNITS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  }
  return parts.length === 0 ? "0 minutes" : parts.join(", ");
}

/** What the running gateway's log sinks really are, which may differ from a later config. */
export interface LoggingFacts {
  readonly logging: LoggingConfig;
  /** `logging buffered` as it was when the sinks were built, and its contents. */
  readonly buffer:
    | {
        readonly level: LogLevel;
        readonly capacityOctets: number;
        readonly logged: number;
        readonly lines: readonly string[];
      }
    | undefined;
}

// The hosts the gateway sends to: UDP only in this version (see the README's limitations).
function hostLines(logging: LoggingConfig): string[] {
  return logging.hosts.map((host) => {
    const port = host.port ?? (host.transport === "udp" ? 514 : 601);
    const note = host.transport === "udp" ? "" : ", not active";
    return `        Logging to ${host.address} (${host.transport} port ${port}${note})`;
  });
}

export function showLogging(facts: LoggingFacts): string {
  const buffer = facts.buffer;
  const bufferLine =
    buffer === undefined
      ? "    Buffer logging: disabled"
      : `    Buffer logging: level ${buffer.level}, ${buffer.logged} messages logged`;
  const header = [
    "Syslog logging: enabled",
    "    Console logging: level debugging (standard error)",
    bufferLine,
    `    Trap logging: level ${facts.logging.trap}`,
    ...hostLines(facts.logging),
  ];
  if (buffer === undefined) return textOf(header);
  return textOf([...header, "", `Log Buffer (${buffer.capacityOctets} bytes):`, ...buffer.lines]);
}
