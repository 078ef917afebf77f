import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import fc from "fast-check";

import { parseTranscript, type Segment } from "../../src/cli/transcript.js";
import type { Gateway } from "../../src/gateway/gateway.js";
import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { delay } from "../helpers/smtp-talker.js";

/** About 10 s inside `npm test`; `npm run fuzz` sets SMTPGUARD_FUZZ_MS for a long run. */
const BUDGET_MS = Number(process.env.SMTPGUARD_FUZZ_MS ?? 10_000);
/** Connections left to finish in the background before the fuzzer waits for them. */
const MAX_OUTSTANDING = 32;
/** How far the heap may stay above its start once everything has ended: generous on purpose. */
const HEAP_SLACK_OCTETS = 24 * 1024 * 1024;

const FIXTURES = join(import.meta.dirname, "../fixtures");

/** The conversations of test/fixtures/, parsed: the seeds of the mutations. */
const transcripts: Segment[][] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".txt") && !name.startsWith("show-"))
  .map((name) => parseTranscript(readFileSync(join(FIXTURES, name), "latin1")));

/** A collection that works where `global.gc` was not exposed (plain `npm test`). */
function collectGarbage(): (() => void) | undefined {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  return typeof gc === "function" ? (gc as () => void) : undefined;
}

const lineEnd = fc.constantFrom("\r\n", "\r\n", "\r\n", "\n", "\r", "");
const verb = fc.constantFrom(
  "EHLO",
  "HELO",
  "MAIL FROM:",
  "RCPT TO:",
  "DATA",
  "BDAT",
  "AUTH",
  "RSET",
  "NOOP",
  "QUIT",
  "STARTTLS",
  "VRFY",
  "EXPN",
  "ETRN",
  "TURN",
  ".",
  "",
);
const argument = fc.oneof(
  fc.stringMatching(/^[ -~]{0,40}$/),
  fc.constantFrom(" <a@b.test>", " <a@b.test> SIZE=10", " 10 LAST", " PLAIN AGFAYg==", " x"),
  fc.string({ unit: "binary", maxLength: 20 }),
);
const smtpLine = fc.tuple(verb, argument, lineEnd).map(([v, a, e]) => v + a + e);
const smtpText = fc
  .array(smtpLine, { maxLength: 30 })
  .map((lines) => Buffer.from(lines.join(""), "latin1"));
const randomBytes = fc.uint8Array({ maxLength: 3_000 }).map((bytes) => Buffer.from(bytes));

const replyLine = fc
  .tuple(
    fc.constantFrom("220", "250", "354", "334", "421", "500", "999", "2x0", ""),
    fc.constantFrom(" ", "-", ""),
    fc.stringMatching(/^[ -~]{0,30}$/),
    lineEnd,
  )
  .map((parts) => parts.join(""));
const replyText = fc
  .array(replyLine, { minLength: 1, maxLength: 8 })
  .map((lines) => Buffer.from(lines.join(""), "latin1"));

/** One transcript, mutated: octets flipped, inserted or dropped, segments repeated or lost. */
const mutatedTranscript = fc
  .tuple(
    fc.integer({ min: 0, max: Math.max(transcripts.length - 1, 0) }),
    fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom("flip", "insert", "drop", "twice")), {
      maxLength: 8,
    }),
  )
  .map(([index, mutations]) => {
    const segments = (transcripts[index] ?? []).map((segment) => ({
      from: segment.from,
      bytes: Buffer.from(segment.bytes),
    }));
    for (const [at, octet, how] of mutations) mutate(segments, at, octet, how);
    return {
      client: segments.filter((s) => s.from === "client").map((s) => s.bytes),
      server: segments.filter((s) => s.from === "server").map((s) => s.bytes),
    };
  });

function mutate(
  segments: { from: string; bytes: Buffer }[],
  at: number,
  octet: number,
  how: string,
): void {
  if (segments.length === 0) return;
  const index = at % segments.length;
  const segment = segments[index];
  if (segment === undefined) return;
  const position = segment.bytes.length === 0 ? 0 : at % segment.bytes.length;
  const bytes = segment.bytes;
  if (how === "flip" && bytes.length > 0) bytes[position] = octet;
  if (how === "insert") {
    segment.bytes = Buffer.concat([
      bytes.subarray(0, position),
      Buffer.of(octet),
      bytes.subarray(position),
    ]);
  }
  if (how === "drop") segments.splice(index, 1);
  if (how === "twice") segments.splice(index, 0, { ...segment });
}

/** A whole scenario: what the client writes, in pieces, and what the server will say. */
const scenario = fc.oneof(
  fc.record({ client: fc.array(randomBytes, { maxLength: 4 }), server: fc.array(replyText) }),
  fc.record({ client: fc.array(smtpText, { maxLength: 4 }), server: fc.array(replyText) }),
  fc.record({
    client: fc.array(smtpText, { maxLength: 4 }),
    server: fc.array(randomBytes, { maxLength: 3 }),
  }),
  mutatedTranscript,
);

describe("fuzz: random bytes, random SMTP and mutated transcripts through the whole gateway", () => {
  const scripts: Buffer[][] = [];
  const uncaught: unknown[] = [];
  const sockets = new Set<Socket>();
  // The upstream: it says each scripted segment in turn, one per chunk it receives, then 250s.
  const upstream = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const script = scripts.shift() ?? [Buffer.from("220 fuzz.test ESMTP\r\n")];
    socket.write(script.shift() ?? Buffer.alloc(0));
    socket.on("data", () => socket.write(script.shift() ?? Buffer.from("250 ok\r\n")));
    socket.on("end", () => socket.end());
  });
  const onUncaught = (error: unknown): void => {
    uncaught.push(error);
  };
  let gateway: Gateway;
  let port = 0;
  let logs: string[] = [];

  before(async () => {
    process.on("uncaughtException", onUncaught);
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const address = upstream.address();
    const upstreamPort = address !== null && typeof address !== "string" ? address.port : 0;
    ({ gateway, port, logs } = await startGateway({
      upstreamPort,
      synwaitSeconds: 0.5,
      finwaitSeconds: 0.5,
      listener: { idleSeconds: 0.5, policy: { protocol: "esmtp", maxData: 100_000 } },
    }));
  });

  after(async () => {
    process.off("uncaughtException", onUncaught);
    await gateway.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      upstream.close(() => {
        resolve();
      }),
    );
  });

  it("never throws, ends every session, and gives its memory back", async () => {
    const gc = collectGarbage();

    // The harness alone (fast-check and the driver) keeps some memory per connection; it is
    // measured first, straight to the upstream, and only what the gateway adds is judged.
    const harness = await fuzzRun(upstreamPort(), BUDGET_MS / 3, gc);
    const gateway_ = await fuzzRun(port, (BUDGET_MS * 2) / 3, gc);

    await eventually(() => gateway.sessionCount === 0, 5_000);
    assert.equal(gateway.table.list().length, 0);
    assert.deepEqual(uncaught, []);

    const perConnection = harness.grown / Math.max(harness.runs, 1);
    const added = gateway_.grown - perConnection * gateway_.runs;
    console.log(
      `fuzz: ${String(gateway_.runs)} connections through the gateway, heap ` +
        `${String(Math.round(gateway_.grown / 1024))} KiB (harness alone: ` +
        `${String(Math.round(perConnection))} octets a connection over ${String(harness.runs)})`,
    );
    assert.ok(gateway_.runs > 0);
    assert.ok(added < HEAP_SLACK_OCTETS, `the gateway added ${String(Math.round(added))} octets`);
  });

  function upstreamPort(): number {
    const address = upstream.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  /** Fuzzes connections to `target` for `budgetMs`; the heap it leaves behind, after a GC. */
  async function fuzzRun(
    target: number,
    budgetMs: number,
    gc: (() => void) | undefined,
  ): Promise<{ runs: number; grown: number }> {
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let outstanding: Promise<void>[] = [];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenario, fc.array(fc.nat(), { maxLength: 6 }), async (run, cuts) => {
        runs++;
        scripts.push(run.server);
        outstanding.push(drive(target, run.client, cuts));
        if (outstanding.length >= MAX_OUTSTANDING) {
          await Promise.all(outstanding);
          outstanding = [];
        }
      }),
      { numRuns: 1_000_000, plugins: [fc.interruptAfterTimeLimit(budgetMs)] },
    );
    await Promise.all(outstanding);
    await eventually(() => gateway.sessionCount === 0, 5_000);
    // The fixture keeps every log line and the upstream its scripts: not the gateway's memory.
    scripts.length = 0;
    logs.length = 0;
    if (gc === undefined) await delay(1_000);
    gc?.();
    return { runs, grown: process.memoryUsage().heapUsed - heapBefore };
  }
});

/** One connection: the client's pieces, cut again at random, then its FIN; done at close. */
async function drive(
  port: number,
  pieces: readonly Buffer[],
  cuts: readonly number[],
): Promise<void> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const opened = connect({ port, host: "127.0.0.1" }, () => {
      resolve(opened);
    });
    opened.once("error", reject);
  });
  socket.on("error", () => undefined);
  socket.resume();
  const closed = new Promise<void>((resolve) =>
    socket.on("close", () => {
      resolve();
    }),
  );
  const whole = Buffer.concat(pieces);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = whole.length === 0 ? 0 : cut % whole.length;
    if (to <= from) continue;
    socket.write(whole.subarray(from, to));
    from = to;
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.end(whole.subarray(from));
  // A session stuck on a reply that never comes is ended by the gateway's idle timer (0.5 s).
  const timer = setTimeout(() => socket.destroy(), 5_000);
  await closed;
  clearTimeout(timer);
}
