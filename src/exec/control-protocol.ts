/**
 * The control socket's protocol: one JSON object a line, both ways.
 *
 *   client → gateway   {"command":"show ip inspect sessions"}
 *   gateway → client   {"type":"reply","status":"ok","text":"...","prompt":"3640-123#","streaming":false}
 *   gateway → client   {"type":"line","text":"..."}   (debug and monitor output, at any time)
 *
 * Each request gets exactly one reply, in order. After `debug ...` the reply says
 * `"streaming":true` and `line` frames follow until the client sends `undebug all` or hangs up.
 */

import type { ExecStatus } from "./exec-answer.js";

/** A request is one exec command line; nothing longer is ever needed. */
export const MAX_REQUEST_OCTETS = 8192;
/** A reply holds a whole show output: 100,000 sessions in detail fit well within this. */
export const MAX_REPLY_OCTETS = 256 * 1024 * 1024;

export interface ControlRequest {
  readonly command: string;
}

export interface ControlReply {
  readonly type: "reply";
  readonly status: ExecStatus;
  readonly text: string;
  readonly prompt: string;
  /** Debug or monitor output is on: `line` frames may follow at any time. */
  readonly streaming: boolean;
}

export interface ControlLine {
  readonly type: "line";
  readonly text: string;
}

export type ControlFrame = ControlReply | ControlLine;

export function encodeFrame(frame: ControlRequest | ControlFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function decodeRequest(text: string): ControlRequest | undefined {
  const value = parseJson(text);
  if (!isRecord(value) || typeof value.command !== "string") return undefined;
  return { command: value.command };
}

export function decodeFrame(text: string): ControlFrame | undefined {
  const value = parseJson(text);
  if (!isRecord(value) || typeof value.text !== "string") return undefined;
  if (value.type === "line") return { type: "line", text: value.text };
  const status = value.status;
  if (value.type !== "reply" || (status !== "ok" && status !== "rejected")) return undefined;
  return {
    type: "reply",
    status,
    text: value.text,
    prompt: typeof value.prompt === "string" ? value.prompt : "",
    streaming: value.streaming === true,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Splits a byte stream into lines, each at most `maxOctets` long. A longer line is a broken
 * peer: the reader reports it once and keeps nothing of it.
 */
export class FrameReader {
  readonly #maxOctets: number;
  readonly #onFrame: (text: string) => void;
  readonly #onOverflow: () => void;
  #pieces: Buffer[] = [];
  #octets = 0;

  constructor(maxOctets: number, onFrame: (text: string) => void, onOverflow: () => void) {
    this.#maxOctets = maxOctets;
    this.#onFrame = onFrame;
    this.#onOverflow = onOverflow;
  }

  feed(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (!this.#take(chunk.subarray(start, end))) return;
      const line = Buffer.concat(this.#pieces).toString("utf8");
      this.#pieces = [];
      this.#octets = 0;
      this.#onFrame(line);
      start = end + 1;
    }
    this.#take(chunk.subarray(start));
  }

  #take(piece: Buffer): boolean {
    this.#octets += piece.length;
    if (this.#octets > this.#maxOctets) {
      this.#pieces = [];
      this.#octets = 0;
      this.#onOverflow();
      return false;
    }
    if (piece.length > 0) this.#pieces.push(Buffer.from(piece));
    return true;
  }
}
