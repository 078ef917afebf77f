import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { describe, it } from "node:test";

import {
  UNLIMITED_THRESHOLDS,
  type ThresholdSettings,
} from "../../src/firewall/half-open-guard.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { formatFwMessage } from "../../src/log/catalogue.js";
import { eventually } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";

/** Every flood stops itself after this many connections… */
const MAX_FLOOD_CONNECTIONS = 60;
/** …and the whole test within this time. */
const TEST_TIMEOUT_MS = 20_000;

/** A deliberately slow mail server: it greets only while `greeting` is on. */
async function slowServer(): Promise<{
  port: number;
  greet: (on: boolean) => void;
  close: () => void;
}> {
  let greeting = true;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (greeting) socket.write("220 slow.test ESMTP\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: address !== null && typeof address !== "string" ? address.port : 0,
    greet: (on) => (greeting = on),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function gatewayWith(
  upstreamPort: number,
  thresholds: Partial<ThresholdSettings>,
  minuteMs = 60_000,
): Promise<{ gateway: Gateway; port: number; logs: string[] }> {
  const logs: string[] = [];
  const gateway = new Gateway({
    plan: {
      hostname: "gw.test",
      synwaitSeconds: 30,
      finwaitSeconds: 5,
      thresholds: { ...UNLIMITED_THRESHOLDS, ...thresholds },
      listeners: [
        {
          listen: { address: "127.0.0.1", port: 0 },
          upstream: { address: "127.0.0.1", port: upstreamPort },
          interfaceName: "Ethernet2/0",
          ruleName: "OUT-IN",
          protocol: "smtp",
          policy: { protocol: "smtp", maxData: 20_000_000 },
          admit: () => ({ action: "permit", log: false }),
          alert: true,
          auditTrail: false,
          idleSeconds: 3600,
        },
      ],
    },
    log: (message) => logs.push(formatFwMessage(message)),
    minuteMs,
  });
  await gateway.start();
  return { gateway, port: gateway.listening[0]?.port ?? 0, logs };
}

/** One connection of a flood from its own source address; resolves once it is accepted. */
function floodConnection(port: number, n: number): Promise<Socket> {
  return new Promise((resolve) => {
    const localAddress = `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const socket = connect({ port, host: "127.0.0.1", localAddress });
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      resolve(socket);
    });
    socket.once("close", () => {
      resolve(socket);
    });
  });
}

/** Runs a bounded flood, sampling the half-open count after each connection. */
async function flood(
  gateway: Gateway,
  port: number,
  count: number,
): Promise<{ sockets: Socket[]; maxHalfOpen: number }> {
  assert.ok(count <= MAX_FLOOD_CONNECTIONS);
  const sockets: Socket[] = [];
  let maxHalfOpen = 0;
  for (let n = 0; n < count; n++) {
    sockets.push(await floodConnection(port, n));
    await eventually(
      () => gateway.table.counts.created + gateway.thresholdStatistics.refused > n - 1,
      2_000,
    );
    maxHalfOpen = Math.max(maxHalfOpen, gateway.thresholdStatistics.halfOpen);
  }
  return { sockets, maxHalfOpen };
}

describe("half-open thresholds under a flood", { timeout: TEST_TIMEOUT_MS }, () => {
  it("max-incomplete: aggressive once, never above high, established sessions kept, calm after", async () => {
    const server = await slowServer();
    const { gateway, port, logs } = await gatewayWith(server.port, {
      maxIncomplete: { high: 20, low: 10 },
    });
    const established = await Promise.all([0, 1, 2].map(() => RawClient.connect(port)));
    for (const client of established) await client.waitFor(/^220 /);
    await eventually(() => gateway.table.counts.current.SIS_OPEN === 3);

    server.greet(false);
    const { sockets, maxHalfOpen } = await flood(gateway, port, 50);
    assert.ok(maxHalfOpen <= 20, `half-open reached ${maxHalfOpen}`);
    const on = logs.filter((line) => line.includes("ALERT_ON"));
    assert.deepEqual(on, [
      "%FW-4-ALERT_ON: getting aggressive, count (21/20) current 1-min rate: 24",
    ]);
    assert.equal(gateway.thresholdStatistics.deleted, 30);
    assert.equal(
      gateway.table.counts.current.SIS_OPEN,
      3,
      "established sessions are never deleted",
    );

    for (const socket of sockets) socket.destroy();
    await eventually(() => logs.some((line) => line.includes("ALERT_OFF")));
    assert.equal(logs.filter((line) => line.includes("ALERT_OFF")).length, 1);
    assert.match(
      logs.find((line) => line.includes("ALERT_OFF")) ?? "",
      /calming down, count \(9\/10\)/,
    );

    server.greet(true);
    const normal = await RawClient.connect(port);
    await normal.waitFor(/^220 slow\.test/);
    for (const client of [...established, normal]) client.destroy();
    await gateway.stop();
    server.close();
  });

  it("per host with block-time 0: the host's half-open count never exceeds the limit", async () => {
    const server = await slowServer();
    server.greet(false);
    const { gateway, port, logs } = await gatewayWith(server.port, { hostMaxIncomplete: 5 });
    const { sockets, maxHalfOpen } = await flood(gateway, port, 15);
    assert.ok(maxHalfOpen <= 5);
    assert.deepEqual(logs, [
      "%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (5) exceeded for host 127.0.0.1.",
    ]);
    for (const socket of sockets) socket.destroy();
    await gateway.stop();
    server.close();
  });

  it("per host with block-time: deletes all, refuses, then admits again", async () => {
    const server = await slowServer();
    server.greet(false);
    // A minute of 1 s, so block-time 1 lasts one second.
    const { gateway, port, logs } = await gatewayWith(
      server.port,
      { hostMaxIncomplete: 5, hostBlockMinutes: 1 },
      1_000,
    );
    const { sockets } = await flood(gateway, port, 8);
    assert.deepEqual(logs.slice(0, 2), [
      "%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (5) exceeded for host 127.0.0.1.",
      "%FW-2-BLOCK_HOST: Blocking new TCP connections to host 127.0.0.1 for 1 minute (half-open count 5 exceeded).",
    ]);
    await eventually(() => gateway.table.size === 0);
    assert.equal(gateway.thresholdStatistics.refused, 3);

    await eventually(() => logs.some((line) => line.includes("UNBLOCK_HOST")), 3_000);
    server.greet(true);
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await gateway.stop();
    server.close();
  });

  it("per source (ours): one client cannot use up the whole budget", async () => {
    const server = await slowServer();
    const { gateway, port } = await gatewayWith(server.port, { sourceMaxSessions: 2 });
    const first = await RawClient.connect(port, "127.0.0.1", "127.2.0.1");
    const second = await RawClient.connect(port, "127.0.0.1", "127.2.0.1");
    await first.waitFor(/^220 /);
    await second.waitFor(/^220 /);
    const third = await RawClient.connect(port, "127.0.0.1", "127.2.0.1").catch(() => undefined);
    if (third !== undefined) assert.equal((await third.closed).reset, true);
    const other = await RawClient.connect(port, "127.0.0.1", "127.2.0.2");
    await other.waitFor(/^220 /);
    for (const client of [first, second, other]) client.destroy();
    await gateway.stop();
    server.close();
  });
});
