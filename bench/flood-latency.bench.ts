/**
 * A legitimate client's message latency while a half-open flood runs (issue: the DoS
 * thresholds). The gateway (the built CLI, its own process) relays two hosts: smtp-sink, a
 * fast mail server, for the legitimate client, and a tarpit that never greets, so every flood connection
 * stays half-open until the thresholds delete it. Prints the ratio of the flooded median to
 * the unloaded one, measured in the same run. `node --import tsx bench/flood-latency.bench.ts`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startMailSink } from "./mail-sink.js";
import { median } from "./measure.js";
import { oneMessageSession } from "./one-message.js";
import { killChildrenOnExit, sleep, startDaemon } from "./processes.js";
import { smallMessage } from "./smtp-client.js";

/** The flood stops itself after this many connections… */
const FLOOD_CONNECTIONS = 2_500;
/** …held open at most this many at a time… */
const FLOOD_IN_FLIGHT = 600;
/** …and after this long in any case. */
const FLOOD_LIMIT_MS = 60_000;
/** One-message sessions measured unloaded and again under the flood. */
const SAMPLES = 40;
const TARGET_RATIO = 2;

const CONFIG = `
hostname flood-bench
ip port-map smtp port 2525
ip inspect max-incomplete high 800
ip inspect max-incomplete low 600
ip inspect one-minute high 100000
ip inspect one-minute low 90000
ip inspect tcp max-incomplete host 250 block-time 0
ip inspect name OUT-IN esmtp
interface Ethernet0/0
 ip address 127.30.1.1 255.255.255.0
 ip inspect OUT-IN in
interface Ethernet0/1
 ip address 127.10.20.1 255.255.255.0
ip nat inside source static tcp 127.10.20.2 2525 127.30.1.110 2525
ip nat inside source static tcp 127.10.20.5 2525 127.30.1.111 2525
end
`;

/** A server that accepts and never says a word: its sessions stay half-open. */
async function tarpit(): Promise<() => void> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(2525, "127.10.20.5", resolve));
  return () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
}

/** Opens flood connections from many source addresses until the count or time runs out. */
async function flood(stop: { done: boolean }): Promise<number> {
  let opened = 0;
  let inFlight = 0;
  const started = Date.now();
  while (opened < FLOOD_CONNECTIONS && Date.now() - started < FLOOD_LIMIT_MS && !stop.done) {
    if (inFlight >= FLOOD_IN_FLIGHT) {
      await sleep(5);
      continue;
    }
    const n = opened++;
    inFlight++;
    const socket = connect({
      host: "127.30.1.111",
      port: 2525,
      localAddress: `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
    });
    socket.on("error", () => undefined);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("close", () => inFlight--);
    if (n % 50 === 0) await sleep(1);
  }
  return opened;
}

/** One session, greeting to QUIT, with one message, through the gateway; its time in ms. */
function oneMessage(host: string): Promise<number> {
  const steps = [
    "HELO bench.test\r\n",
    "MAIL FROM:<a@bench.test>\r\n",
    "RCPT TO:<b@bench.test>\r\n",
    "DATA\r\n",
    smallMessage().toString("latin1"),
    "QUIT\r\n",
  ];
  return oneMessageSession(host, 2525, steps);
}

async function sessions(count: number, host = "127.30.1.110"): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < count; n++) times.push(await oneMessage(host));
  return times;
}

async function waitForGateway(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await oneMessage("127.30.1.110");
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error("the gateway did not come up");
}

async function main(): Promise<void> {
  killChildrenOnExit();
  const directory = mkdtempSync(join(tmpdir(), "smtpguard-flood-"));
  const configFile = join(directory, "flood.conf");
  writeFileSync(configFile, CONFIG);

  const mail = startMailSink("127.10.20.2", 2525, directory);
  const closeTarpit = await tarpit();
  const gateway = startDaemon(
    "smtpguard",
    process.execPath,
    ["dist/cli.js", "run", "--config", configFile],
    join(directory, "gateway.log"),
  );
  await waitForGateway();

  await sessions(5);
  const direct = median(await sessions(SAMPLES, "127.10.20.2"));
  const unloaded = median(await sessions(SAMPLES));
  const stop = { done: false };
  const flooding = flood(stop);
  await sleep(2_000);
  const loaded = median(await sessions(SAMPLES));
  stop.done = true;
  const connections = await flooding;

  await gateway.stop();
  closeTarpit();
  await mail.stop();
  report(direct, unloaded, loaded, connections);
}

function report(direct: number, unloaded: number, loaded: number, connections: number): void {
  const ratio = loaded / unloaded;
  const verdict = ratio <= TARGET_RATIO && connections >= 2_000 ? "PASS" : "MISS";
  process.stdout.write(
    [
      "| figure | value |",
      "| --- | --- |",
      `| one-message session, direct to the mail server (median of ${SAMPLES}) | ${direct.toFixed(2)} ms |`,
      `| one-message session, unloaded (median of ${SAMPLES}) | ${unloaded.toFixed(2)} ms |`,
      `| one-message session under a half-open flood (median of ${SAMPLES}) | ${loaded.toFixed(2)} ms |`,
      `| flood connections opened | ${connections} |`,
      `| ratio flooded / unloaded (target ≤ ${TARGET_RATIO}) | ${ratio.toFixed(2)} ${verdict} |`,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`flood bench: ${String(error)}\n`);
  process.exitCode = 1;
});
