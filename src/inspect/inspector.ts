import { printableVerb, readParameters, readVerb } from "../smtp/command-line.js";
import { LineFramer } from "../smtp/line-framer.js";
import { MAX_AUTH_LINE_OCTETS, MAX_COMMAND_LINE_OCTETS } from "../smtp/limits.js";
import type { ReplyLine } from "../smtp/reply-line.js";
import { ContentRelay } from "./content-relay.js";
import { HeldBytes } from "./held-bytes.js";
import { EsmtpInspection, isSyncPoint, type LineAction } from "./esmtp-inspection.js";
import type { AnomalyKind, InspectionEvent, MaskReason, ResetReason } from "./events.js";
import { SYNC_POINTS } from "./extensions/pipelining.js";
import { commandTrace, describePending } from "./trace-events.js";
import { verbsAreLegal } from "./verb-check.js";
import { Forwarder } from "./forwarder.js";
import { lineEndLength, maskLine } from "./mask.js";
import { PendingCommands, type PendingCommand } from "./pending-commands.js";
import { defaultEsmtpPolicy, LEGAL_VERBS, type InspectionPolicy } from "./policy.js";
import type { Refusal } from "./refusal.js";
import { ServerReplies } from "./server-replies.js";

/** Verbs whose parameters no check reads: their text is never made into a string. */
const NO_PARAMETERS: ReadonlySet<string> = new Set(["RSET", "NOOP", "QUIT", "DATA", "STARTTLS"]);

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

/**
 * How the client's bytes are read now: command lines, a SASL line, DATA content, a BDAT
 * chunk, the rest of an overlong line, or nothing at all once TLS has started (opaque).
 */
export type ClientMode =
  "command" | "auth-response" | "data" | "chunk" | "overflow" | "opaque" | "handshake";

/**
 * One SMTP session's inspector: a pure state machine fed the client's and the server's bytes
 * with the current time. It reads the client's stream exactly as the server will: commands
 * are judged as whole lines, message content starts only when the server has answered 354,
 * SASL lines only after a 334. It holds client bytes back only while a reply decides how to
 * read them, and says so through `clientPaused`.
 */
export class Inspector {
  readonly #legalVerbs: ReadonlySet<string>;
  readonly #esmtp: EsmtpInspection | undefined;
  readonly #out: InspectorOutput;
  readonly #toServer: Forwarder;
  readonly #framer: LineFramer;
  readonly #content: ContentRelay;
  readonly #replies: ServerReplies;
  readonly #pending = new PendingCommands(isSyncPoint);
  readonly #anomalies = new Set<AnomalyKind>();

  #mode: ClientMode = "command";
  #now = 0;
  #dead = false;
  /** The command whose reply decides how the bytes after it are read. */
  #awaiting: PendingCommand | undefined;
  readonly #held = new HeldBytes();
  /** The LAST chunk is being relayed: the transaction ends with it. */
  #lastChunk = false;
  /** The next BDAT chunk starts a message. */
  #firstChunk = true;
  #lineIndex = 0;

  /** Emit trace events for `debug ip inspect`; off, it costs one test per line. */
  tracing = false;

  constructor(policy: InspectionPolicy, out: InspectorOutput) {
    this.#legalVerbs = LEGAL_VERBS[policy.protocol];
    this.#out = out;
    this.#esmtp =
      policy.protocol === "esmtp"
        ? new EsmtpInspection(policy.esmtp ?? defaultEsmtpPolicy(), policy.maxData, (kind) => {
            this.#anomaly(kind);
          })
        : undefined;
    this.#toServer = new Forwarder((bytes) => {
      out.toServer(bytes);
    });
    this.#framer = new LineFramer({
      line: (line, start, end) => {
        this.#judgeLine(line, start, end);
      },
      overflow: (piece, first, complete) => {
        this.#overflow(piece, first, complete);
      },
      overflowExceeded: () => {
        this.#reset("line-overflow");
      },
    });
    const esmtpPolicy = this.#esmtp?.policy;
    this.#content = new ContentRelay({
      toServer: this.#toServer,
      maxData: policy.maxData,
      lineLimits:
        esmtpPolicy === undefined
          ? undefined
          : { header: esmtpPolicy.maxHeaderLine, body: esmtpPolicy.maxBodyLine },
      mimeFilename: esmtpPolicy?.maxMimeFilename,
      event: (event) => {
        this.#emit(event);
      },
      anomaly: (kind) => {
        this.#anomaly(kind);
      },
      reset: (reason) => {
        this.#reset(reason);
      },
      now: () => this.#now,
    });
    this.#replies = this.#newServerReplies();
  }

  /** True while the inspector holds client bytes: the caller should stop reading the client. */
  get clientPaused(): boolean {
    return this.#awaiting !== undefined || this.#pending.full || this.#mode === "handshake";
  }

  /**
   * The session has TLS on both legs after a terminated STARTTLS: inspection goes on inside,
   * with what was known before TLS forgotten (RFC 3207 4.2).
   */
  tlsEstablished(): void {
    if (this.#mode !== "handshake") return;
    this.#esmtp?.restart();
    this.#framer.limit = MAX_COMMAND_LINE_OCTETS;
    this.#mode = "command";
  }

  get mode(): ClientMode {
    return this.#mode;
  }

  /** Message content octets relayed in this session, the figure max-data bounds. */
  get contentOctets(): number {
    return this.#content.sessionOctets;
  }

  /** What the inspector holds right now, for tests of its bounds. */
  get bufferedOctets(): BufferedOctets {
    return {
      partialLine: this.#framer.partialOctets,
      heldClient: this.#held.octets,
      partialReply: this.#replies.partialOctets,
      dataTail: this.#content.tailOctets,
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
    if (this.#mode === "opaque") this.#out.toClient(chunk);
    else this.#replies.feed(chunk);
    this.#toServer.flush();
  }

  #newServerReplies(): ServerReplies {
    return new ServerReplies({
      toClient: (bytes) => {
        this.#out.toClient(bytes);
      },
      line: (line, start, end, reply, first) => this.#replyLine(line, start, end, reply, first),
      greetingLine: (line, start, end) => this.#esmtp?.greetingLine(line, start, end) ?? "pass",
      complete: (code) => this.#replyComplete(code),
      answering: () => describePending(this.#pending.peek()),
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
      case "overflow":
        return this.#framer.bytes(chunk, at);
      case "data":
        return this.#contentStep(this.#content.dataBytes(chunk, at), chunk);
      case "chunk":
        return this.#contentStep(this.#content.chunkBytes(chunk, at), chunk);
      case "opaque":
        this.#toServer.pass(chunk, at, chunk.length);
        return chunk.length;
      case "handshake":
        // Not reached: the inspector is paused until the session says TLS is up.
        this.#hold(chunk.subarray(at));
        return chunk.length;
    }
  }

  #contentStep(step: { next: number; ended: boolean } | undefined, chunk: Buffer): number {
    if (step === undefined) return chunk.length;
    if (!step.ended) return step.next;
    if (this.#mode === "data") this.#endMessage();
    else this.#endChunk();
    return step.next;
  }

  #hold(bytes: Buffer): void {
    // Content right behind DATA is common and harmless (it waits here for the 354).
    const awaiting = this.#awaiting;
    const syncPoint =
      awaiting !== undefined && awaiting.verb !== "DATA" && SYNC_POINTS.has(awaiting.verb);
    if (this.#esmtp !== undefined && syncPoint) {
      this.#anomaly("pipelining-after-sync-point");
    }
    if (!this.#held.push(bytes)) this.#reset("held-overflow");
  }

  #releaseHeld(): void {
    for (const bytes of this.#held.take()) this.#consumeClient(bytes);
  }

  // A whole command (or SASL) line: the policy decides, the line goes on whole or masked.
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
    const legal = this.#isLegal(line, start, textEnd);
    const parameters =
      legal && this.#esmtp !== undefined && !NO_PARAMETERS.has(verb)
        ? readParameters(line, start, textEnd)
        : "";
    const refusal = legal ? this.#esmtpRefusal(verb, parameters) : undefined;
    if (this.tracing) {
      const range = { start, end: textEnd };
      this.#emit(commandTrace(this.#now, this.#lineIndex, line, range, verb, legal && !refusal));
    }
    if (!legal) this.#mask(line, start, end, verb, "illegal-verb");
    else if (refusal !== undefined) this.#refuse(line, start, end, verb, refusal);
    else this.#pass(line, start, end, verb, parameters);
  }

  #esmtpRefusal(verb: string, parameters: string): Refusal | undefined {
    const pending = { size: this.#pending.size, syncPoints: this.#pending.counted };
    return this.#esmtp?.judgeLine(verb, parameters, pending);
  }

  #pass(line: Buffer, start: number, end: number, verb: string, parameters: string): void {
    this.#toServer.pass(line, start, end);
    const bdat = this.#esmtp?.sent(verb, parameters);
    const awaited = verb === "DATA" || verb === "AUTH" || verb === "STARTTLS";
    const entry: PendingCommand =
      this.#esmtp === undefined
        ? { kind: "command", verb }
        : { kind: "command", verb, generation: this.#esmtp.state.transaction.generation };
    this.#expectReply(entry, awaited);
    if (bdat !== undefined) this.#startChunk(bdat.size, bdat.last);
  }

  #isLegal(line: Buffer, start: number, end: number): boolean {
    const verdict = verbsAreLegal(line, start, end, (verb) => this.#legalVerb(verb));
    if (verdict.bareCr) this.#anomaly("bare-cr-in-command");
    return verdict.legal;
  }

  #legalVerb(verb: string): boolean {
    return this.#legalVerbs.has(verb) || (this.#esmtp?.legalExtensionVerb(verb) ?? false);
  }

  #mask(
    line: Buffer,
    start: number,
    end: number,
    verb: string,
    reason: MaskReason,
    reply?: string,
  ): void {
    this.#toServer.emit(maskLine(line, start, end));
    const replacement =
      reply === undefined ? {} : { replacement: Buffer.from(`${reply}\r\n`, "latin1") };
    this.#expectReply({ kind: "masked", verb, ...replacement }, false);
    this.#emitInvalid(line, start, end, verb, reason);
  }

  #emitInvalid(line: Buffer, start: number, end: number, verb: string, reason: MaskReason): void {
    const length = end - start - lineEndLength(line, start, end);
    this.#emit({
      type: "invalid-command",
      at: this.#now,
      verb: printableVerb(verb),
      length,
      reason,
    });
  }

  #refuse(line: Buffer, start: number, end: number, verb: string, refusal: Refusal): void {
    if (refusal.action === "mask") {
      this.#mask(line, start, end, verb, refusal.reason, refusal.reply);
      return;
    }
    this.#emitInvalid(line, start, end, verb, refusal.reason);
    this.#reset("policy");
  }

  #expectReply(entry: PendingCommand, decidesWhatFollows: boolean): void {
    this.#pending.push(entry);
    if (decidesWhatFollows) this.#awaiting = entry;
  }

  // RFC 5321 4.5.3.1.4: a line over the limit is masked as it streams, up to its line end.
  #overflow(piece: Buffer, first: boolean, complete: boolean): void {
    if (first) {
      this.#lineIndex++;
      const verb = readVerb(piece, 0, Math.min(piece.length, MAX_COMMAND_LINE_OCTETS));
      this.#emit({
        type: "invalid-command",
        at: this.#now,
        verb: printableVerb(verb),
        length: piece.length - lineEndLength(piece, 0, piece.length),
        reason: "line-overflow",
      });
    }
    this.#toServer.emit(maskLine(piece, 0, piece.length));
    const back = this.#mode === "auth-response" ? "auth-response" : "command";
    this.#mode = complete ? back : "overflow";
    if (complete) this.#pending.push({ kind: "masked", verb: "" });
  }

  #startChunk(size: number, last: boolean): void {
    this.#lastChunk = last;
    const declared = this.#esmtp?.state.transaction.binary ?? true;
    if (size > 0) {
      this.#content.startChunk(size, declared, this.#firstChunk);
      this.#firstChunk = false;
      this.#mode = "chunk";
    } else {
      this.#endChunk();
    }
  }

  #endChunk(): void {
    this.#mode = "command";
    if (!this.#lastChunk) return;
    this.#esmtp?.messageSent();
    this.#firstChunk = true;
  }

  #endMessage(): void {
    if (this.tracing) {
      const octets = this.#content.messageOctets;
      this.#emit({ type: "trace-data", at: this.#now, phase: "end", octets });
    }
    this.#mode = "command";
    this.#esmtp?.messageSent();
    this.#expectReply({ kind: "message", verb: "DATA" }, false);
  }

  // Server side: each reply line is passed, rewritten, or swallowed for a replacement.
  #replyLine(
    line: Buffer,
    start: number,
    end: number,
    reply: ReplyLine,
    first: boolean,
  ): LineAction {
    const entry = this.#pending.peek();
    if (entry === undefined) return "pass";
    if (entry.replacement !== undefined) return "swallow";
    return this.#esmtp?.replyLine(entry, line, start, end, reply, first) ?? "pass";
  }

  // A reply is complete (after the greeting): it answers the oldest pending command.
  #replyComplete(code: number): Buffer | undefined {
    const entry = this.#pending.shift();
    if (entry === undefined) {
      this.#anomaly("unmatched-reply");
      return undefined;
    }
    this.#esmtp?.replied(entry, code);
    if (entry === this.#awaiting) {
      this.#awaiting = undefined;
      this.#mode = this.#modeAfter(entry, code);
    }
    if (this.#mode !== "opaque" && this.#mode !== "handshake") this.#releaseHeld();
    return entry.replacement;
  }

  #modeAfter(entry: PendingCommand, code: number): ClientMode {
    if (entry.verb === "DATA" && entry.kind === "command" && code === 354) {
      // smtp rules do not judge 8-bit content.
      this.#content.startMessage(this.#esmtp?.eightBitDeclared ?? true);
      if (this.tracing)
        this.#emit({ type: "trace-data", at: this.#now, phase: "start", octets: 0 });
      return "data";
    }
    // RFC 4954 4: a 334 asks for one more SASL line; anything else ends the exchange.
    if (entry.verb === "AUTH" && code === 334) {
      this.#framer.limit = MAX_AUTH_LINE_OCTETS;
      return "auth-response";
    }
    if (entry.verb === "STARTTLS" && code === 220) return this.#startTls();
    this.#framer.limit = MAX_COMMAND_LINE_OCTETS;
    return "command";
  }

  // RFC 3207 and ASA allow-tls: after the server's 220 inspection stops, or (terminate) waits
  // for the session's TLS on both legs. What the client sent after STARTTLS in plaintext is
  // discarded: it would be read as if it came inside TLS (the CVE-2011-0411 class).
  #startTls(): ClientMode {
    const discarded = this.#held.octets;
    this.#held.take();
    const terminated = this.#esmtp?.policy.tls === "terminate";
    this.#emit({ type: "tls-started", at: this.#now, discarded, terminated });
    return terminated ? "handshake" : "opaque";
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
    this.#held.take();
    this.#emit({ type: "reset", at: this.#now, reason });
    this.#out.reset(reason);
  }
}
