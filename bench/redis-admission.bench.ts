/**
 * The cost of sharing thresholds through Redis: the round trip of one admission (the Lua
 * script that a new session runs) against a real redis-server on loopback, next to a plain
 * PING for scale. `npm run bench:redis` (needs Debian's redis-server).
 */
import { spawn } from "node:child_process";
import { connect } from "node:net";

import { UNLIMITED_THRESHOLDS } from "../src/firewall/half-open-guard.js";
import { RedisThresholdStore } from "../src/firewall/redis-threshold-store.js";
import { percentile, median } from "./measure.js";
import { killChildrenOnExit, sleep } from "./processes.js";

const ADMISSIONS = 2_000;
const PORT = 6391;

async function redisReady(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port: PORT });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => {
        resolve(false);
      });
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error("redis-server did not start");
}

async function main(): Promise<void> {
  killChildrenOnExit();
  const redis = spawn(
    "redis-server",
    ["--port", String(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  try {
    await redisReady();
    const store = new RedisThresholdStore({
      url: `redis://127.0.0.1:${PORT}`,
      prefix: "bench",
      instance: "gw1",
      minuteMs: 60_000,
    });
    store.connect();
    while (!store.ready) await sleep(10);
    const times: number[] = [];
    for (let n = 0; n < ADMISSIONS; n++) {
      const started = performance.now();
      await store.admit(
        { host: "127.0.0.1", source: `127.1.0.${n % 250}` },
        UNLIMITED_THRESHOLDS,
        undefined,
      );
      times.push(performance.now() - started);
    }
    await store.close();
    process.stdout.write(
      [
        "| figure | value |",
        "| --- | --- |",
        `| admissions through the Lua script | ${ADMISSIONS} |`,
        `| median round trip | ${median(times).toFixed(3)} ms |`,
        `| 99th percentile | ${percentile(times, 0.99).toFixed(3)} ms |`,
        `| worst | ${Math.max(...times).toFixed(3)} ms |`,
        "",
      ].join("\n"),
    );
  } finally {
    redis.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`redis bench: ${String(error)}\n`);
  process.exitCode = 1;
});
