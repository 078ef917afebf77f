import { pathToFileURL } from "node:url";

import type { InspectionEvent } from "../src/inspect/events.js";
import { Inspector, type InspectorOutput } from "../src/inspect/inspector.js";
import { defaultPolicy } from "../src/inspect/policy.js";
import { median } from "./measure.js";
import { realisticContent } from "./text.js";

/**
 * The pure inspector without sockets: message content in MB/s and command lines per second,
 * each next to a baseline that does the least any scanner must do over the same bytes, so the
 * ratio says what the inspection itself costs. Rates are per CPU second.
 * Standalone: `node --import tsx bench/inspector.bench.ts [--json]`.
 */

/** Node hands socket data over in reads of up to 64 KiB; content is fed in such chunks. */
const CHUNK_OCTETS = 65_536;
/** Content of one message: 4 MiB, well inside the default max-data of 20 MB per session. */
const MESSAGE_OCTETS = 4 * 1_048_576;
/** Pipelined command groups per session in the command-line test. */
const GROUPS_PER_SESSION = 2_000;
const ROUNDS = 7;
/** Each round repeats its work until at least this much time has passed. */
const ROUND_MS = 300;
/** 1 MB = 10^6 octets, as the targets count. */
const MEGABYTE = 1_000_000;

const LF = 0x0a;
const NOW = 0;
const END_OF_DATA = Buffer.from("\r\n.\r\n", "latin1");
const GREETING = latin1("220 sink.smtpguard.test ESMTP\r\n");
const EHLO = latin1("EHLO bench.smtpguard.test\r\n");
const EHLO_REPLY = latin1(
  "250-sink.smtpguard.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 \r\n",
);
const ENVELOPE = latin1(
  "MAIL FROM:<bench@smtpguard.test>\r\nRCPT TO:<sink@smtpguard.test>\r\nDATA\r\n",
);
const ENVELOPE_REPLIES = latin1(
  "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
);
const QUEUED = latin1("250 2.0.0 Ok: queued as 4XJ7Q\r\n");

/** RFC 2920 pipelining: one group, as a client sends it in one write, and its replies. */
const GROUP_COMMANDS = [
  "MAIL FROM:<sender@example.org> SIZE=2048\r\n",
  ...[1, 2, 3, 4, 5].map((index) => `RCPT TO:<recipient-${index}@example.net>\r\n`),
  "RSET\r\n",
];
const GROUP_REPLIES = [
  "250 2.1.0 Ok\r\n",
  ...GROUP_COMMANDS.slice(1, -1).map(() => "250 2.1.5 Ok\r\n"),
  "250 2.0.0 Ok\r\n",
];

interface CommandGroup {
  readonly commands: Buffer;
  readonly replies: Buffer;
}

export interface InspectorBenchResult {
  readonly contentMBps: number;
  readonly memmemMBps: number;
  readonly lineWalkMBps: number;
  readonly pipelinedLinesPerSecond: number;
  readonly sequentialLinesPerSecond: number;
  readonly lineWalkLinesPerSecond: number;
  readonly chunkOctets: number;
  readonly messageOctets: number;
  readonly rounds: number;
}

export function runInspectorBench(): InspectorBenchResult {
  const chunks = messageChunks();
  const group = {
    commands: latin1(GROUP_COMMANDS.join("")),
    replies: latin1(GROUP_REPLIES.join("")),
  };
  checkInspectorPassesEverything(chunks, group);
  const contentOctets = MESSAGE_OCTETS;
  const lines = GROUP_COMMANDS.length * GROUPS_PER_SESSION;
  return {
    contentMBps: rate(contentOctets / MEGABYTE, () => inspectMessage(chunks)),
    memmemMBps: rate(contentOctets / MEGABYTE, () => memmemScan(chunks)),
    lineWalkMBps: rate(contentOctets / MEGABYTE, () => lineWalk(chunks)),
    pipelinedLinesPerSecond: rate(lines, () => pipelinedSession(group)),
    sequentialLinesPerSecond: rate(lines, () => sequentialSession()),
    lineWalkLinesPerSecond: rate(lines, () => lineWalkSession(group)),
    chunkOctets: CHUNK_OCTETS,
    messageOctets: MESSAGE_OCTETS,
    rounds: ROUNDS,
  };
}

/**
 * The median over ROUNDS rounds of units per CPU second of this process, after one round of
 * warm-up. CPU time, not wall time, so that other processes on the machine do not count.
 */
function rate(unitsPerCall: number, work: () => number): number {
  let kept = 0;
  const rates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let calls = 0;
    while (performance.now() - started < ROUND_MS) {
      kept += work();
      calls++;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (cpu.user + cpu.system) / 1e6;
    if (round > 0) rates.push((calls * unitsPerCall) / seconds);
  }
  // Keeps the work observable so that no compiler can drop it.
  if (kept === -1) process.stdout.write("");
  return median(rates);
}

/** A whole message through a fresh inspector: envelope, content in chunks, end of data. */
function inspectMessage(chunks: readonly Buffer[]): number {
  const output = new CountingOutput();
  const inspector = new Inspector(defaultPolicy("esmtp"), output);
  inspector.feedServer(GREETING, NOW);
  inspector.feedClient(ENVELOPE, NOW);
  inspector.feedServer(ENVELOPE_REPLIES, NOW);
  for (const chunk of chunks) inspector.feedClient(chunk, NOW);
  inspector.feedServer(QUEUED, NOW);
  return output.serverOctets;
}

/** The least a content scanner can do: look for CRLF "." CRLF in every chunk. */
function memmemScan(chunks: readonly Buffer[]): number {
  let found = 0;
  for (const chunk of chunks) found += chunk.indexOf(END_OF_DATA) === -1 ? 0 : 1;
  return found;
}

/** Every line end visited once, as a line-by-line scanner must. */
function lineWalk(chunks: readonly Buffer[]): number {
  let lines = 0;
  for (const chunk of chunks) lines += countLines(chunk);
  return lines;
}

function pipelinedSession(group: CommandGroup): number {
  const output = new CountingOutput();
  const inspector = openSession(output);
  for (let index = 0; index < GROUPS_PER_SESSION; index++) {
    inspector.feedClient(group.commands, NOW);
    inspector.feedServer(group.replies, NOW);
  }
  return output.serverOctets;
}

/** smtp-source's way: one command per read, then its reply. */
function sequentialSession(): number {
  const output = new CountingOutput();
  const inspector = openSession(output);
  const commands = GROUP_COMMANDS.map(latin1);
  const replies = GROUP_REPLIES.map(latin1);
  for (let index = 0; index < GROUPS_PER_SESSION; index++) {
    for (let line = 0; line < commands.length; line++) {
      inspector.feedClient(commands[line] ?? EHLO, NOW);
      inspector.feedServer(replies[line] ?? QUEUED, NOW);
    }
  }
  return output.serverOctets;
}

function lineWalkSession(group: CommandGroup): number {
  let lines = 0;
  for (let index = 0; index < GROUPS_PER_SESSION; index++) {
    lines += countLines(group.commands) + countLines(group.replies);
  }
  return lines;
}

function openSession(output: CountingOutput): Inspector {
  const inspector = new Inspector(defaultPolicy("esmtp"), output);
  inspector.feedServer(GREETING, NOW);
  inspector.feedClient(EHLO, NOW);
  inspector.feedServer(EHLO_REPLY, NOW);
  return inspector;
}

function countLines(chunk: Buffer): number {
  let lines = 0;
  let lf = chunk.indexOf(LF);
  while (lf !== -1) {
    lines++;
    lf = chunk.indexOf(LF, lf + 1);
  }
  return lines;
}

/** The content, its end-of-data line included, cut into socket-sized chunks. */
function messageChunks(): Buffer[] {
  const message = Buffer.concat([realisticContent(MESSAGE_OCTETS), latin1(".\r\n")]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < message.length; at += CHUNK_OCTETS) {
    chunks.push(message.subarray(at, at + CHUNK_OCTETS));
  }
  return chunks;
}

/** The figures mean nothing if the inspector masked, held or reset anything: check once. */
function checkInspectorPassesEverything(chunks: readonly Buffer[], group: CommandGroup): void {
  const content = chunks.reduce((sum, chunk) => sum + chunk.length, ENVELOPE.length);
  checkForwarded("content", inspectMessage(chunks), content);
  const commands = EHLO.length + group.commands.length * GROUPS_PER_SESSION;
  checkForwarded("pipelined commands", pipelinedSession(group), commands);
  checkForwarded("one command a read", sequentialSession(), commands);
}

function checkForwarded(what: string, forwarded: number, sent: number): void {
  if (forwarded !== sent) throw new Error(`${what}: ${forwarded} of ${sent} octets forwarded`);
}

class CountingOutput implements InspectorOutput {
  serverOctets = 0;
  clientOctets = 0;

  toServer(bytes: Buffer): void {
    this.serverOctets += bytes.length;
  }

  toClient(bytes: Buffer): void {
    this.clientOctets += bytes.length;
  }

  reset(reason: string): void {
    throw new Error(`the inspector reset the session: ${reason}`);
  }

  /** The figures are for clean sessions: any finding means the input is wrong. */
  event(event: InspectionEvent): void {
    if (event.type === "greeting" || event.type.startsWith("trace-")) return;
    const detail = event.type === "anomaly" ? ` (${event.kind})` : "";
    throw new Error(`the inspector reported ${event.type}${detail}`);
  }
}

function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

function printTable(result: InspectorBenchResult): void {
  const rows = [
    ["content, MB/s", result.contentMBps, result.memmemMBps, "indexOf(CRLF.CRLF)"],
    ["content, MB/s", result.contentMBps, result.lineWalkMBps, "indexOf(LF) per line"],
    [
      "pipelined lines/s",
      result.pipelinedLinesPerSecond,
      result.lineWalkLinesPerSecond,
      "indexOf(LF) per line",
    ],
    [
      "one line a read, lines/s",
      result.sequentialLinesPerSecond,
      result.lineWalkLinesPerSecond,
      "indexOf(LF) per line",
    ],
  ] as const;
  const lines = [
    "| figure | inspector | baseline | ratio | baseline is |",
    "| --- | ---: | ---: | ---: | --- |",
  ];
  for (const [name, inspector, baseline, what] of rows) {
    const ratio = (inspector / baseline).toFixed(2);
    lines.push(
      `| ${name} | ${Math.round(inspector)} | ${Math.round(baseline)} | ${ratio} | ${what} |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = runInspectorBench();
  if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(result)}\n`);
  else printTable(result);
}
