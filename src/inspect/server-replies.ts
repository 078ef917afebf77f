import { LF } from "../smtp/bytes.js";
import { MAX_HELD_REPLY_OCTETS, MAX_REPLY_LINE_OCTETS } from "../smtp/limits.js";
import { parseReplyLine, type ReplyLine } from "../smtp/reply-line.js";
import type { LineAction } from "./esmtp-inspection.js";
import type { AnomalyKind, InspectionEvent } from "./events.js";
import { Forwarder } from "./forwarder.js";

/** What the reply reader needs from the inspector around it. */
export interface ReplyHooks {
  toClient(bytes: Buffer): void;
  /** What to do with a whole reply line; `first` is the reply's first line. */
  line(line: Buffer, start: number, end: number, reply: ReplyLine, first: boolean): LineAction;
  /** The greeting's line, for banner masking. */
  greetingLine(line: Buffer, start: number, end: number): LineAction;
  /** A whole reply has arrived after the greeting; returns bytes to send in its place. */
  complete(code: number): Buffer | undefined;
  /** What the reply being read answers, for the trace. */
  answering(): string;
  anomaly(kind: AnomalyKind): void;
  event(event: InspectionEvent): void;
  now(): number;
  tracing(): boolean;
}

/**
 * Reads the server's stream as replies (RFC 5321 4.2): lines with a code, `NNN-` going on and
 * `NNN ` ending the reply. Whole lines are judged and forwarded as they complete; a partial
 * line is held only up to MAX_HELD_REPLY_OCTETS, past which it streams through unchanged.
 */
export class ServerReplies {
  readonly #hooks: ReplyHooks;
  readonly #toClient: Forwarder;
  #greeted = false;
  #firstLine = true;
  /** The reply being read is answered by a replacement: its lines are not forwarded. */
  #swallowing = false;
  #partial: Buffer | undefined;
  /** The header of a long line being streamed, until its LF arrives. */
  #streaming: ReplyLine | undefined;
  #streamedOctets = 0;

  constructor(hooks: ReplyHooks) {
    this.#hooks = hooks;
    this.#toClient = new Forwarder((bytes) => {
      hooks.toClient(bytes);
    });
  }

  get partialOctets(): number {
    return this.#partial?.length ?? 0;
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) at = this.#lineBytes(chunk, at);
    this.#toClient.flush();
  }

  flush(): void {
    this.#toClient.flush();
  }

  #lineBytes(chunk: Buffer, at: number): number {
    const lf = chunk.indexOf(LF, at);
    const end = lf === -1 ? chunk.length : lf + 1;
    if (this.#streaming !== undefined) return this.#streamBytes(chunk, at, end, lf !== -1);
    const partialOctets = this.#partial?.length ?? 0;
    if (lf === -1 && partialOctets + end - at > MAX_HELD_REPLY_OCTETS) {
      this.#startStreaming(chunk, at, end);
      return end;
    }
    if (lf === -1) {
      const piece = Buffer.from(chunk.subarray(at));
      this.#partial = this.#partial === undefined ? piece : Buffer.concat([this.#partial, piece]);
      return end;
    }
    if (this.#partial === undefined) {
      this.#wholeLine(chunk, at, end);
    } else {
      const line = Buffer.concat([this.#partial, chunk.subarray(at, end)]);
      this.#partial = undefined;
      this.#wholeLine(line, 0, line.length);
    }
    return end;
  }

  #wholeLine(line: Buffer, start: number, end: number): void {
    const reply = parseReplyLine(line, start, end);
    const action = this.#actionFor(line, start, end, reply);
    if (action === "pass") this.#toClient.pass(line, start, end);
    else if (action !== "swallow") this.#toClient.emit(action);
    this.#lineDone(reply, end - start);
  }

  #actionFor(line: Buffer, start: number, end: number, reply: ReplyLine): LineAction {
    if (!this.#greeted) return this.#hooks.greetingLine(line, start, end);
    if (this.#firstLine) {
      const action = this.#hooks.line(line, start, end, reply, true);
      this.#swallowing = action === "swallow";
      return action;
    }
    return this.#swallowing ? "swallow" : this.#hooks.line(line, start, end, reply, false);
  }

  // A line too long to hold streams through as it is (or is swallowed with its reply).
  #startStreaming(chunk: Buffer, at: number, end: number): void {
    const partial = this.#partial ?? Buffer.alloc(0);
    this.#partial = undefined;
    const head = Buffer.concat([partial, chunk.subarray(at, Math.min(end, at + 4))]);
    this.#streaming = parseReplyLine(head, 0, head.length);
    this.#streamedOctets = 0;
    if (this.#firstLine) this.#swallowing = false;
    if (partial.length > 0) this.#streamPiece(partial, 0, partial.length);
    this.#streamPiece(chunk, at, end);
  }

  #streamBytes(chunk: Buffer, at: number, end: number, complete: boolean): number {
    this.#streamPiece(chunk, at, end);
    const line = this.#streaming;
    if (complete && line !== undefined) {
      this.#streaming = undefined;
      this.#lineDone(line, this.#streamedOctets);
    }
    return end;
  }

  #streamPiece(chunk: Buffer, at: number, end: number): void {
    this.#streamedOctets += end - at;
    if (!this.#swallowing) this.#toClient.pass(chunk, at, end);
  }

  #lineDone(reply: ReplyLine, length: number): void {
    if (!reply.valid) this.#hooks.anomaly("invalid-reply");
    if (length > MAX_REPLY_LINE_OCTETS) this.#hooks.anomaly("long-reply-line");
    if (this.#hooks.tracing()) this.#traceLine(reply, length);
    // A line without a valid code answers nothing: the pairing of replies stays in step.
    if (!reply.valid) return;
    this.#firstLine = reply.final;
    if (!reply.final) return;
    this.#swallowing = false;
    if (this.#greeted) {
      const replacement = this.#hooks.complete(reply.code);
      if (replacement !== undefined) this.#toClient.emit(replacement);
      return;
    }
    // The first reply is the greeting, whatever the client sent before it.
    this.#greeted = true;
    this.#toClient.flush();
    this.#hooks.event({ type: "greeting", at: this.#hooks.now(), code: reply.code });
  }

  #traceLine(reply: ReplyLine, length: number): void {
    this.#hooks.event({
      type: "trace-reply",
      at: this.#hooks.now(),
      code: reply.code,
      final: reply.final,
      length,
      answers: this.#greeted ? this.#hooks.answering() : "greeting",
    });
  }
}
