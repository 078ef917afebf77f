import { LF } from "../smtp/bytes.js";
import { MAX_HELD_REPLY_OCTETS, MAX_REPLY_LINE_OCTETS } from "../smtp/limits.js";
import { parseReplyLine, type ReplyLine } from "../smtp/reply-line.js";
import type { AnomalyKind, InspectionEvent } from "./events.js";
import { Forwarder } from "./forwarder.js";

/** What the reply reader needs from the inspector around it. */
export interface ReplyHooks {
  toClient(bytes: Buffer): void;
  /** A whole reply has arrived, after the greeting; `code` is its last line's. */
  complete(code: number): void;
  /** What the reply being read answers, for the trace. */
  answering(): string;
  anomaly(kind: AnomalyKind): void;
  event(event: InspectionEvent): void;
  now(): number;
  tracing(): boolean;
}

/**
 * Reads the server's stream as replies (RFC 5321 4.2): lines with a code, `NNN-` going on and
 * `NNN ` ending the reply. Lines are forwarded as they complete; a partial line is held only
 * up to MAX_HELD_REPLY_OCTETS, past which it streams through unchanged.
 */
export class ServerReplies {
  readonly #hooks: ReplyHooks;
  readonly #toClient: Forwarder;
  #greeted = false;
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
      this.#toClient.pass(chunk, at, end);
      this.#lineDone(parseReplyLine(chunk, at, end), end - at);
    } else {
      const line = Buffer.concat([this.#partial, chunk.subarray(at, end)]);
      this.#partial = undefined;
      this.#toClient.emit(line);
      this.#lineDone(parseReplyLine(line, 0, line.length), line.length);
    }
    return end;
  }

  #startStreaming(chunk: Buffer, at: number, end: number): void {
    const partial = this.#partial ?? Buffer.alloc(0);
    this.#partial = undefined;
    const head = Buffer.concat([partial, chunk.subarray(at, Math.min(end, at + 4))]);
    this.#streaming = parseReplyLine(head, 0, head.length);
    this.#streamedOctets = partial.length + end - at;
    if (partial.length > 0) this.#toClient.emit(partial);
    this.#toClient.pass(chunk, at, end);
  }

  #streamBytes(chunk: Buffer, at: number, end: number, complete: boolean): number {
    this.#toClient.pass(chunk, at, end);
    this.#streamedOctets += end - at;
    const line = this.#streaming;
    if (complete && line !== undefined) {
      this.#streaming = undefined;
      this.#lineDone(line, this.#streamedOctets);
    }
    return end;
  }

  #lineDone(line: ReplyLine, length: number): void {
    if (!line.valid) this.#hooks.anomaly("invalid-reply");
    if (length > MAX_REPLY_LINE_OCTETS) this.#hooks.anomaly("long-reply-line");
    if (this.#hooks.tracing()) this.#traceLine(line, length);
    if (!line.final) return;
    if (this.#greeted) {
      this.#hooks.complete(line.code);
      return;
    }
    // The first reply is the greeting, whatever the client sent before it.
    this.#greeted = true;
    this.#toClient.flush();
    this.#hooks.event({ type: "greeting", at: this.#hooks.now(), code: line.code });
  }

  #traceLine(line: ReplyLine, length: number): void {
    this.#hooks.event({
      type: "trace-reply",
      at: this.#hooks.now(),
      code: line.code,
      final: line.final,
      length,
      answers: this.#greeted ? this.#hooks.answering() : "greeting",
    });
  }
}
