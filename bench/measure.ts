import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

/** proc(5): utime and stime are fields 14 and 15; we count from field 3, after the comm. */
const UTIME_AFTER_COMM = 11;
const STIME_AFTER_COMM = 12;

/** CPU seconds (user + system, all threads) that a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // The command name is in parentheses and may hold spaces: read after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[UTIME_AFTER_COMM]) + Number(fields[STIME_AFTER_COMM]);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** A memory figure of /proc/PID/status in KiB: VmHWM is the peak RSS, VmRSS the current. */
export function memoryKiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** A /proc reading, or NaN when the process is gone (a relay that crashed is a failed run). */
export function readingOf(pid: number | undefined, read: (pid: number) => number): number {
  if (pid === undefined) return Number.NaN;
  try {
    return read(pid);
  } catch {
    return Number.NaN;
  }
}

export function median(values: readonly number[]): number {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(index, 0)] ?? Number.NaN;
}

export function minimum(values: readonly number[]): number {
  const kept = finite(values);
  return kept.length === 0 ? Number.NaN : Math.min(...kept);
}

export function maximum(values: readonly number[]): number {
  const kept = finite(values);
  return kept.length === 0 ? Number.NaN : Math.max(...kept);
}

/** Milliseconds since `start`, a `performance.now()` reading. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

function finite(values: readonly number[]): number[] {
  return values.filter((value) => Number.isFinite(value));
}

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}
