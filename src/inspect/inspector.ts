import { CR, LF } from "../smtp/bytes.js";
import { readParameters, readVerb, printableVerb } from "../smtp/command-line.js";
import { DataScanner } from "../smtp/data-scanner.js";
import {
  MAX_AUTH_LINE_OCTETS,
  MAX_COMMAND_LINE_OCTETS,
  MAX_HELD_CLIENT_OCTETS,
  MAX_OVERFLOW_LINE_OCTETS,
} from "../smtp/limits.js";
import type { AnomalyKind, InspectionEvent, MaskReason, ResetReason } from "./events.js";
import { Forwarder } from "./forwarder.js";
import { lineEndLength, maskLine } from "./mask.js";
import { PendingCommands, type PendingCommand } from "./pending-commands.js";
import { LEGAL_VERBS, type InspectionPolicy } from "./policy.js";
import { ServerReplies } from "./server-replies.js";

/** Where the inspector gives its decisions. The session behind it owns the sockets. */
export interface InspectorOutput {
  toServer(bytes: Buffer): void;
  toClient(bytes: Buffer): void;
  reset(reason: ResetReason): void;
  event(event: InspectionEvent): void;
}

export interface BufferedOctets {
  readonly partialLine: number;
  readonly heldClient: number;
  readonly partialReply: number;
  readonly dataTail: number;
}

/** How the client's bytes are read now. */
export type ClientMode = "command" | "auth-response" | "data" | "overflow";

/**
 * One SMTP session's inspector: a pure state machine fed the client's and the server's bytes
 * with the current time. It reads the client's stream exactly as the server will: commands
 * are judged as whole lines, message content starts only when the server has answered 354,
 * SASL lines only after a 334. It holds client bytes back only while a reply decides how to
 * read them, and says so through `clientPaused`.
 */
export class Inspector {
  readonly #policy: InspectionPolicy;
  readonly #legalVerbs: ReadonlySet<string>;
  readonly #out: InspectorOutput;
  readonly #toServer: Forwarder;
  readonly #replies: ServerReplies;
  readonly #pending = new PendingCommands();
  readonly #scanner = new DataScanner();
  readonly #anomalies = new Set<AnomalyKind>();

  #mode: ClientMode = "command";
  #now = 0;
  #dead = false;
  #partial: Buffer | undefined;
  #overflowOctets = 0;
  /** The command whose reply decides how the bytes after it are read. */
  #awaiting: PendingCommand | undefined;
  #held: Buffer[] = [];
  #heldOctets = 0;
  /** Undecided octets of a possible end of data, from the end of the previous chunk. */
  #dataTail: Buffer = Buffer.alloc(0);
  #contentOctets = 0;
  #messageOctets = 0;
  #lineIndex = 0;

  /** Emit trace events for `debug ip inspect`; off, it costs one test per line. */
  tracing = false;

  constructor(policy: InspectionPolicy, out: InspectorOutput) {
    this.#policy = policy;
    this.#legalVerbs = LEGAL_VERBS[policy.protocol];
    this.#out = out;
    this.#toServer = new Forwarder((bytes) => {
      out.toServer(bytes);
    });
    this.#replies = new ServerReplies({
      toClient: (bytes) => {
        out.toClient(bytes);
      },
      complete: (code) => {
        this.#replyComplete(code);
      },
      answering: () => describe(this.#pending.peek()),
      anomaly: (kind) => {
        this.#anomaly(kind);
      },
      event: (event) => {
        this.#emit(event);
      },
      now: () => this.#now,
      tracing: () => this.tracing,
    });
  }

  /** True while the inspector holds client bytes: the caller should stop reading the client. */
  get clientPaused(): boolean {
    return this.#awaiting !== undefined || this.#pending.full;
  }

  get mode(): ClientMode {
    return this.#mode;
  }

  /** Message content octets relayed in this session, the figure max-data bounds. */
  get contentOctets(): number {
    return this.#contentOctets;
  }

  /** What the inspector holds right now, for tests of its bounds. */
  get bufferedOctets(): BufferedOctets {
    return {
      partialLine: this.#partial?.length ?? 0,
      heldClient: this.#heldOctets,
      partialReply: this.#replies.partialOctets,
      dataTail: this.#dataTail.length,
    };
  }

  get closed(): boolean {
    return this.#dead;
  }

  feedClient(chunk: Buffer, now: number): void {
    if (this.#dead || chunk.length === 0) return;
    this.#now = now;
    this.#consumeClient(chunk);
    this.#toServer.flush();
  }

  feedServer(chunk: Buffer, now: number): void {
    if (this.#dead || chunk.length === 0) return;
    this.#now = now;
    this.#replies.feed(chunk);
    this.#toServer.flush();
  }

  #consumeClient(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.#dead) {
      if (this.clientPaused) {
        this.#hold(chunk.subarray(at));
        return;
      }
      at = this.#consumeInMode(chunk, at);
    }
  }

  #consumeInMode(chunk: Buffer, at: number): number {
    switch (this.#mode) {
      case "command":
      case "auth-response":
        return this.#lineBytes(chunk, at);
      case "data":
        return this.#dataBytes(chunk, at);
      case "overflow":
        return this.#overflowBytes(chunk, at);
    }
  }

  #hold(bytes: Buffer): void {
    this.#heldOctets += bytes.length;
    if (this.#heldOctets > MAX_HELD_CLIENT_OCTETS) {
      this.#reset("held-overflow");
      return;
    }
    this.#held.push(bytes);
  }

  #releaseHeld(): void {
    if (this.#held.length === 0) return;
    const held = this.#held;
    this.#held = [];
    this.#heldOctets = 0;
    for (const bytes of held) this.#consumeClient(bytes);
  }

  // Command and SASL lines: judged whole, however the bytes were split.
  #lineBytes(chunk: Buffer, at: number): number {
    const limit = this.#mode === "auth-response" ? MAX_AUTH_LINE_OCTETS : MAX_COMMAND_LINE_OCTETS;
    const partialOctets = this.#partial?.length ?? 0;
    const lf = chunk.indexOf(LF, at);
    const end = lf === -1 ? chunk.length : lf + 1;
    if (partialOctets + end - at > limit) {
      this.#overflow(chunk, at, end, lf !== -1);
      return end;
    }
    if (lf === -1) {
      // Copied, so that an idle session does not keep a whole socket chunk alive.
      const piece = Buffer.from(chunk.subarray(at));
      this.#partial = this.#partial === undefined ? piece : Buffer.concat([this.#partial, piece]);
      return end;
    }
    if (this.#partial === undefined) {
      this.#judgeLine(chunk, at, end);
    } else {
      const line = Buffer.concat([this.#partial, chunk.subarray(at, end)]);
      this.#partial = undefined;
      this.#judgeLine(line, 0, line.length);
    }
    return end;
  }

  #judgeLine(line: Buffer, start: number, end: number): void {
    const terminator = lineEndLength(line, start, end);
    if (terminator === 1) this.#anomaly("bare-lf-in-command");
    const textEnd = end - terminator;
    this.#lineIndex++;

    if (this.#mode === "auth-response") {
      this.#toServer.pass(line, start, end);
      this.#expectReply({ kind: "auth-response", verb: "AUTH" }, true);
      return;
    }

    const verb = readVerb(line, start, textEnd);
    const legal = this.#isLegal(line, start, textEnd, verb);
    if (this.tracing) this.#traceCommand(line, start, textEnd, verb, legal);
    if (legal) {
      this.#toServer.pass(line, start, end);
      this.#expectReply({ kind: "command", verb }, verb === "DATA" || verb === "AUTH");
    } else {
      this.#mask(line, start, end, verb, "illegal-verb");
    }
  }

  /**
   * A line with a bare CR may be split in two by a server that ends lines at CR, so every
   * CR-separated piece must start with a legal verb for the line to pass.
   */
  #isLegal(line: Buffer, start: number, end: number, verb: string): boolean {
    if (!this.#legalVerbs.has(verb)) return false;
    let cr = line.indexOf(CR, start);
    if (cr === -1 || cr >= end) return true;
    this.#anomaly("bare-cr-in-command");
    while (cr !== -1 && cr < end) {
      const next = line.indexOf(CR, cr + 1);
      const pieceEnd = next === -1 || next > end ? end : next;
      if (pieceEnd > cr + 1 && !this.#legalVerbs.has(readVerb(line, cr + 1, pieceEnd))) {
        return false;
      }
      cr = next;
    }
    return true;
  }

  #mask(line: Buffer, start: number, end: number, verb: string, reason: MaskReason): void {
    this.#toServer.emit(maskLine(line, start, end));
    this.#expectReply({ kind: "masked", verb }, false);
    this.#emit({
      type: "invalid-command",
      at: this.#now,
      verb: printableVerb(verb),
      length: end - start - lineEndLength(line, start, end),
      reason,
    });
  }

  #expectReply(entry: PendingCommand, decidesWhatFollows: boolean): void {
    this.#pending.push(entry);
    if (decidesWhatFollows) this.#awaiting = entry;
  }

  // RFC 5321 4.5.3.1.4: a line over the limit is masked as it streams, up to its line end.
  #overflow(chunk: Buffer, at: number, end: number, complete: boolean): void {
    const partial = this.#partial ?? Buffer.alloc(0);
    this.#partial = undefined;
    const line = Buffer.concat([partial, chunk.subarray(at, end)]);
    const verb = readVerb(line, 0, Math.min(line.length, MAX_COMMAND_LINE_OCTETS));
    this.#lineIndex++;
    if (complete) {
      this.#mask(line, 0, line.length, verb, "line-overflow");
      return;
    }
    this.#emit({
      type: "invalid-command",
      at: this.#now,
      verb: printableVerb(verb),
      length: line.length,
      reason: "line-overflow",
    });
    this.#mode = "overflow";
    this.#overflowOctets = 0;
    this.#overflowBytes(line, 0);
  }

  #overflowBytes(chunk: Buffer, at: number): number {
    const lf = chunk.indexOf(LF, at);
    const end = lf === -1 ? chunk.length : lf + 1;
    this.#overflowOctets += end - at;
    if (this.#overflowOctets > MAX_OVERFLOW_LINE_OCTETS) {
      this.#reset("line-overflow");
      return chunk.length;
    }
    this.#toServer.emit(maskLine(chunk, at, end));
    if (lf !== -1) {
      this.#mode = "command";
      this.#pending.push({ kind: "masked", verb: "" });
    }
    return end;
  }

  // Message content (RFC 5321 4.1.1.4): forwarded as slices until CRLF "." CRLF.
  #dataBytes(chunk: Buffer, at: number): number {
    const tail = this.#dataTail;
    const outcome = this.#scanner.scan(chunk, at);
    const available = tail.length + chunk.length - at;
    switch (outcome.kind) {
      case "smuggling":
        this.#emit({ type: "smuggling", at: this.#now, variant: outcome.variant });
        this.#reset("smuggling");
        return chunk.length;
      case "more": {
        const content = available - outcome.undecided;
        if (this.#sendContent(chunk, at, content) < 0) return chunk.length;
        this.#dataTail = Buffer.from(lastOctets(tail, chunk, at, outcome.undecided));
        return chunk.length;
      }
      case "end": {
        // The end-of-data line, "." CRLF, is not content; the CRLF before it is.
        const sent = tail.length + outcome.index - at;
        const next = this.#sendContent(chunk, at, sent - 3);
        if (next < 0) return chunk.length;
        this.#sendSlices(chunk, next, 3);
        this.#endMessage();
        return outcome.index;
      }
    }
  }

  /**
   * Sends `count` content octets (the held tail first, then the chunk) within max-data.
   * Returns the chunk position reached, or -1 when max-data was exceeded and the session reset.
   */
  #sendContent(chunk: Buffer, at: number, count: number): number {
    const allowed = this.#policy.maxData - this.#contentOctets;
    const sending = Math.min(count, Math.max(allowed, 0));
    const next = this.#sendSlices(chunk, at, sending);
    this.#contentOctets += sending;
    this.#messageOctets += sending;
    if (count <= allowed) return next;
    this.#emit({ type: "max-data-exceeded", at: this.#now, limit: this.#policy.maxData });
    this.#reset("max-data");
    return -1;
  }

  /** Sends the first `count` octets of the held tail + chunk[at..]; returns where it stopped. */
  #sendSlices(chunk: Buffer, at: number, count: number): number {
    const fromTail = Math.min(this.#dataTail.length, count);
    if (fromTail > 0) {
      this.#toServer.emit(this.#dataTail.subarray(0, fromTail));
      this.#dataTail = this.#dataTail.subarray(fromTail);
    }
    const to = at + count - fromTail;
    this.#toServer.pass(chunk, at, to);
    return to;
  }

  #endMessage(): void {
    this.#dataTail = Buffer.alloc(0);
    this.#flagContentAnomalies();
    if (this.tracing) {
      this.#emit({ type: "trace-data", at: this.#now, phase: "end", octets: this.#messageOctets });
    }
    this.#mode = "command";
    this.#expectReply({ kind: "message", verb: "DATA" }, false);
  }

  #flagContentAnomalies(): void {
    const { bareLf, bareCr } = this.#scanner.anomalies;
    if (bareLf) this.#anomaly("bare-lf-in-content");
    if (bareCr) this.#anomaly("bare-cr-in-content");
  }

  // A reply is complete (after the greeting): it answers the oldest pending command.
  #replyComplete(code: number): void {
    const entry = this.#pending.shift();
    if (entry === undefined) {
      this.#anomaly("unmatched-reply");
      return;
    }
    if (entry === this.#awaiting) {
      this.#awaiting = undefined;
      this.#mode = this.#modeAfter(entry, code);
    }
    this.#releaseHeld();
  }

  #modeAfter(entry: PendingCommand, code: number): ClientMode {
    if (entry.verb === "DATA" && entry.kind === "command" && code === 354) {
      this.#scanner.reset();
      this.#messageOctets = 0;
      if (this.tracing)
        this.#emit({ type: "trace-data", at: this.#now, phase: "start", octets: 0 });
      return "data";
    }
    // RFC 4954 4: a 334 asks for one more SASL line; anything else ends the exchange.
    if (entry.verb === "AUTH" && code === 334) return "auth-response";
    return "command";
  }

  #traceCommand(line: Buffer, start: number, end: number, verb: string, legal: boolean): void {
    this.#emit({
      type: "trace-command",
      at: this.#now,
      index: this.#lineIndex,
      verb: printableVerb(verb),
      parameters: verb === "AUTH" ? "" : readParameters(line, start, end),
      length: end - start,
      action: legal ? "pass" : "mask",
    });
  }

  #anomaly(kind: AnomalyKind): void {
    if (this.#anomalies.has(kind)) return;
    this.#anomalies.add(kind);
    this.#emit({ type: "anomaly", at: this.#now, kind });
  }

  #emit(event: InspectionEvent): void {
    this.#out.event(event);
  }

  #reset(reason: ResetReason): void {
    if (this.#dead) return;
    this.#toServer.flush();
    this.#replies.flush();
    this.#dead = true;
    this.#held = [];
    this.#emit({ type: "reset", at: this.#now, reason });
    this.#out.reset(reason);
  }
}

function describe(entry: PendingCommand | undefined): string {
  if (entry === undefined) return "nothing";
  if (entry.kind === "command") return entry.verb;
  return entry.kind;
}

/** The last `count` octets of tail + chunk[at..]: the undecided end of the content. */
function lastOctets(tail: Buffer, chunk: Buffer, at: number, count: number): Buffer {
  if (count === 0) return Buffer.alloc(0);
  const fromChunk = Math.min(count, chunk.length - at);
  const fromTail = count - fromChunk;
  const piece = chunk.subarray(chunk.length - fromChunk);
  return fromTail === 0 ? piece : Buffer.concat([tail.subarray(tail.length - fromTail), piece]);
}
