/**
 * A bystander's one-message sessions while slow and oversized peers work on the gateway
 * (issue: hostile input): slowloris clients, clients that never read replies, command lines
 * of 10 MB without CRLF, and a 100000-NOOP pipeline. The gateway is the built CLI in its own
 * process, the mail server Postfix's smtp-sink in another; the clients share this one. Prints the ratio of the loaded
 * median to the quiet one, from the same run. `npm run bench:slow-peers`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startMailSink } from "./mail-sink.js";
import { median } from "./measure.js";
import { oneMessageSession } from "./one-message.js";
import { killChildrenOnExit, sleep, startDaemon } from "./processes.js";

const SAMPLES = 30;
const TARGET_RATIO = 2;
/** Every hostile peer stops after this long. */
const HOSTILE_MS = 8_000;
const HOST = "127.30.2.110";

const CONFIG = `
hostname slow-peers-bench
ip port-map smtp port 2525
ip inspect max-incomplete high unlimited
ip inspect max-incomplete low unlimited
ip inspect one-minute high unlimited
ip inspect one-minute low unlimited
ip inspect tcp max-incomplete host 250 block-time 0
ip inspect tcp idle-time 5
ip inspect name OUT-IN esmtp
interface Ethernet0/0
 ip address 127.30.2.1 255.255.255.0
 ip inspect OUT-IN in
interface Ethernet0/1
 ip address 127.10.30.1 255.255.255.0
ip nat inside source static tcp 127.10.30.2 2525 ${HOST} 2525
end
`;

/** One session, greeting to QUIT, one small message; its time in ms. */
function oneMessage(): Promise<number> {
  const steps = [
    "EHLO bystander.test\r\n",
    "MAIL FROM:<a@bench.test>\r\n",
    "RCPT TO:<b@bench.test>\r\n",
    "DATA\r\n",
    "Subject: hi\r\n\r\nhello\r\n.\r\n",
    "QUIT\r\n",
  ];
  return oneMessageSession(HOST, 2525, steps);
}

async function sessions(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < count; n++) times.push(await oneMessage());
  return times;
}

function hostileSocket(sockets: Socket[]): Socket {
  const socket = connect({ host: HOST, port: 2525 });
  socket.on("error", () => undefined);
  sockets.push(socket);
  return socket;
}

/** The hostile peers, all bounded by HOSTILE_MS; resolves when they have stopped. */
async function hostilePeers(): Promise<void> {
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let n = 0; n < 50; n++) {
    // Slowloris: one byte every 200 ms.
    const socket = hostileSocket(sockets);
    let at = 0;
    const line = "NOOP ".repeat(100);
    timers.push(setInterval(() => socket.write(line[at++ % line.length] ?? " "), 200));
  }
  for (let n = 0; n < 20; n++) {
    // Never reads: a pipeline of NOOPs whose replies pile up.
    const socket = hostileSocket(sockets);
    socket.pause();
    socket.write("NOOP\r\n".repeat(20_000));
  }
  const megabyte = Buffer.alloc(1_048_576, 0x41);
  for (let n = 0; n < 5; n++) {
    // Ten megabytes without a line end.
    const socket = hostileSocket(sockets);
    for (let chunk = 0; chunk < 10; chunk++) socket.write(megabyte);
  }
  // A 100000-NOOP pipeline whose replies are read.
  const flood = hostileSocket(sockets);
  flood.resume();
  flood.write("NOOP\r\n".repeat(100_000));
  await sleep(HOSTILE_MS);
  for (const timer of timers) clearInterval(timer);
  for (const socket of sockets) socket.destroy();
}

async function main(): Promise<void> {
  killChildrenOnExit();
  const directory = mkdtempSync(join(tmpdir(), "smtpguard-slow-"));
  const configFile = join(directory, "slow.conf");
  writeFileSync(configFile, CONFIG);
  const mail = startMailSink("127.10.30.2", 2525, directory);
  const gateway = startDaemon(
    "smtpguard",
    process.execPath,
    ["dist/cli.js", "run", "--config", configFile],
    join(directory, "gateway.log"),
  );
  for (let attempt = 0; ; attempt++) {
    try {
      await oneMessage();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await sleep(100);
    }
  }

  await sessions(5);
  const quiet = median(await sessions(SAMPLES));
  const hostile = hostilePeers();
  await sleep(1_000);
  const loaded = median(await sessions(SAMPLES));
  await hostile;
  await gateway.stop();
  await mail.stop();

  const ratio = loaded / quiet;
  process.stdout.write(
    [
      "| figure | value |",
      "| --- | --- |",
      `| one-message session, quiet (median of ${SAMPLES}) | ${quiet.toFixed(2)} ms |`,
      `| the same beside slow and oversized peers (median of ${SAMPLES}) | ${loaded.toFixed(2)} ms |`,
      `| ratio (target ≤ ${TARGET_RATIO}) | ${ratio.toFixed(2)} ${ratio <= TARGET_RATIO ? "PASS" : "MISS"} |`,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`slow-peers bench: ${String(error)}\n`);
  process.exitCode = 1;
});
