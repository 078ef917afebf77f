import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { SMTPServer } from "smtp-server";

import type { Gateway } from "../../src/gateway/gateway.js";
import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { SmtpTalker, seededRandom, testSeed } from "../helpers/smtp-talker.js";

/** How many messages, on how many parallel clients; sized to stay well under a minute. */
const MESSAGES = 1000;
const CLIENTS = 8;
const MAX_MESSAGE_OCTETS = 1_048_576;

/** A real server that keeps the sha256 of every message it accepted, as its reader saw it. */
function recordingServer(hashes: string[]): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      const hash = createHash("sha256");
      stream.on("data", (chunk: Buffer) => hash.update(chunk));
      stream.on("end", () => {
        hashes.push(hash.digest("hex"));
        callback();
      });
    },
  });
}

/**
 * A message of short header lines, an empty line, and a body of CRLF-ended lines: printable and
 * 8-bit octets (no CR, LF or NUL, which the gateway rightly treats as line ends or look-alikes),
 * lines that start with a dot, empty lines, and now and then a line far over RFC 5322's 998
 * octets (legal mail may carry them in its body; in the header the ASA default map resets).
 */
function randomBody(random: () => number, size: number): Buffer {
  const header = `Subject: random ${String(size)}\r\nX-Dots: ...\r\n\r\n`;
  const lines: Buffer[] = [Buffer.from(header)];
  let total = 0;
  while (total < size) {
    const roll = random();
    const length = roll < 0.02 ? 1000 + Math.floor(random() * 20_000) : Math.floor(random() * 120);
    const line = Buffer.alloc(Math.min(length, size - total + 1) + 2);
    for (let at = 0; at < line.length - 2; at++) line[at] = randomOctet(random);
    if (roll > 0.9 && line.length > 2) line[0] = 0x2e;
    line[line.length - 2] = 0x0d;
    line[line.length - 1] = 0x0a;
    lines.push(line);
    total += line.length;
  }
  return Buffer.concat(lines);
}

function randomOctet(random: () => number): number {
  const octet = 1 + Math.floor(random() * 255);
  return octet === 0x0a || octet === 0x0d ? 0x20 : octet;
}

/** Mostly small messages, some medium, a few near 1 MB. */
function randomSize(random: () => number): number {
  const roll = random();
  if (roll < 0.9) return Math.floor(random() * 4_000);
  if (roll < 0.99) return 4_000 + Math.floor(random() * 60_000);
  return 200_000 + Math.floor(random() * (MAX_MESSAGE_OCTETS - 200_000));
}

/** RFC 5321 4.5.2: a line that starts with a dot gets one more. */
function dotStuff(body: Buffer): Buffer {
  const text = body.toString("latin1");
  const stuffed = (text.startsWith(".") ? "." : "") + text.replaceAll("\r\n.", "\r\n..");
  return Buffer.from(stuffed, "latin1");
}

interface ClientTally {
  accepted: string[];
}

/** One client: several messages per connection, pipelined or in lockstep at random. */
async function runClient(
  port: number,
  random: () => number,
  count: number,
  tally: ClientTally,
): Promise<void> {
  let left = count;
  while (left > 0) {
    const talker = await SmtpTalker.open(port);
    assert.equal((await talker.reply()).code, 220);
    const ehlo = await talker.command("EHLO client.test");
    const pipelining = ehlo.lines.some((line) => /^250[- ]PIPELINING/i.test(line));
    const perConnection = Math.min(left, 1 + Math.floor(random() * 20));
    for (let sent = 0; sent < perConnection; sent++) {
      await sendOne(talker, random, pipelining, tally);
    }
    left -= perConnection;
    assert.equal((await talker.command("QUIT")).code, 221);
    await talker.closed;
  }
}

async function sendOne(
  talker: SmtpTalker,
  random: () => number,
  pipelining: boolean,
  tally: ClientTally,
): Promise<void> {
  const body = randomBody(random, randomSize(random));
  const envelope = ["MAIL FROM:<a@client.test> BODY=8BITMIME", "RCPT TO:<b@server.test>", "DATA"];
  if (pipelining && random() < 0.7) {
    await talker.writeInPieces(Buffer.from(envelope.join("\r\n") + "\r\n"), random, 16);
    for (const expected of [250, 250, 354]) assert.equal((await talker.reply()).code, expected);
  } else {
    for (const [index, line] of envelope.entries()) {
      assert.equal((await talker.command(line)).code, index === 2 ? 354 : 250);
    }
  }
  const content = Buffer.concat([dotStuff(body), Buffer.from(".\r\n")]);
  await talker.writeInPieces(content, random, random() < 0.5 ? 64 : 65_536);
  const final = await talker.reply(30_000);
  if (final.code === 250) tally.accepted.push(createHash("sha256").update(body).digest("hex"));
  else assert.fail(`message refused: ${final.lines.join(" | ")}`);
}

describe("nothing lost: random mail through the gateway into smtp-server", () => {
  const received: string[] = [];
  const server = recordingServer(received);
  let gateway: Gateway;
  let port = 0;
  let logs: string[] = [];

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.server.address();
    const upstreamPort = address !== null && typeof address !== "string" ? address.port : 0;
    ({ gateway, port, logs } = await startGateway({ upstreamPort }));
  });

  after(async () => {
    await gateway.stop();
    await new Promise<void>((resolve) => {
      server.close(resolve);
    });
  });

  it(`${String(MESSAGES)} messages arrive with identical hashes, as many as were accepted`, async () => {
    const seed = testSeed();
    const tally: ClientTally = { accepted: [] };
    const share = Math.ceil(MESSAGES / CLIENTS);
    const clients = Array.from({ length: CLIENTS }, (_, index) =>
      runClient(port, seededRandom(seed + index), Math.min(share, MESSAGES - index * share), tally),
    );
    await Promise.all(clients).catch((error: unknown) => {
      throw new Error(
        `seed ${String(seed)}: ${logs
          .filter((l) => !/AUDIT/.test(l))
          .slice(0, 5)
          .join("\n")}`,
        { cause: error },
      );
    });

    // The server's count is taken once the gateway has no session left to deliver.
    await eventually(() => gateway.sessionCount === 0, 10_000);
    const message = `seed ${String(seed)} (rerun with SMTPGUARD_SEED)`;
    assert.equal(tally.accepted.length, MESSAGES, message);
    assert.equal(received.length, tally.accepted.length, message);
    assert.deepEqual([...received].sort(), [...tally.accepted].sort(), message);
  });
});
