import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";

import type { IdleReport } from "./idle-clients.js";
import { memoryKiB } from "./measure.js";
import { startPath, type PathContext, type PathId } from "./paths.js";
import { sleep, startWorker, stopChild } from "./processes.js";
import { oneMessageSession, smallMessage } from "./smtp-client.js";

/** Sessions through a fresh relay before its baseline RSS is read. */
const WARM_UP_SESSIONS = 20;
/** Time for allocations to settle before an RSS reading. */
const SETTLE_MS = 1_000;
/** Opening thousands of sessions through a slow path must still end. */
const OPEN_TIMEOUT_MS = 120_000;

export interface IdleSummary {
  readonly path: PathId;
  readonly requested: number;
  readonly open: number;
  readonly failed: number;
  readonly rssBeforeKiB: number;
  readonly rssAfterKiB: number;
  /** (RSS with the sessions open − RSS before) / sessions open. */
  readonly perSessionKiB: number;
  readonly firstError: string;
}

/** The RSS each relay gains per idle session (greeted, then silent), each relay fresh. */
export async function measureIdleMemory(
  context: PathContext,
  count: number,
): Promise<IdleSummary[]> {
  const summaries: IdleSummary[] = [];
  const relays = context.paths.filter((id) => id !== "direct");
  for (const id of relays) {
    summaries.push(
      await measurePath(id, context, count).catch((error: unknown) => failed(id, count, error)),
    );
  }
  return summaries;
}

/** A path whose idle test could not finish still gets its row, with the reason. */
function failed(path: PathId, requested: number, error: unknown): IdleSummary {
  return {
    path,
    requested,
    open: 0,
    failed: requested,
    rssBeforeKiB: Number.NaN,
    rssAfterKiB: Number.NaN,
    perSessionKiB: Number.NaN,
    firstError: error instanceof Error ? error.message : String(error),
  };
}

async function measurePath(id: PathId, context: PathContext, count: number): Promise<IdleSummary> {
  const path = await startPath(id, context);
  const pid = path.pid;
  if (pid === undefined) throw new Error(`${id} has no process to measure`);
  try {
    const message = smallMessage();
    for (let index = 0; index < WARM_UP_SESSIONS; index++) {
      await oneMessageSession(path.port, message);
    }
    await sleep(SETTLE_MS);
    const rssBeforeKiB = memoryKiB(pid, "VmRSS");
    const script = join(context.root, "bench", "idle-clients.ts");
    const args = ["--import", "tsx", script, String(path.port), String(count)];
    const holder = startWorker(process.execPath, args);
    try {
      const report = await firstReport(holder);
      await sleep(SETTLE_MS);
      const rssAfterKiB = memoryKiB(pid, "VmRSS");
      const perSessionKiB = (rssAfterKiB - rssBeforeKiB) / Math.max(report.open, 1);
      return { path: id, requested: count, rssBeforeKiB, rssAfterKiB, perSessionKiB, ...report };
    } finally {
      holder.stdin?.end();
      await stopChild(holder);
    }
  } finally {
    await path.stop();
  }
}

async function firstReport(holder: ChildProcess): Promise<IdleReport> {
  if (holder.stdout === null) throw new Error("idle-clients has no stdout");
  const lines = createInterface({ input: holder.stdout });
  const timeout = AbortSignal.timeout(OPEN_TIMEOUT_MS);
  const [line] = (await once(lines, "line", { signal: timeout })) as [string];
  lines.close();
  return JSON.parse(line) as IdleReport;
}
