import { LF } from "./bytes.js";
import { MAX_COMMAND_LINE_OCTETS, MAX_OVERFLOW_LINE_OCTETS } from "./limits.js";

/** Where the framer delivers what it cut. */
export interface LineSink {
  /** A whole line, its line end included. */
  line(line: Buffer, start: number, end: number): void;
  /**
   * Octets of a line past the limit, as they come: `first` on its first piece, `complete`
   * on the piece that holds its line end.
   */
  overflow(piece: Buffer, first: boolean, complete: boolean): void;
  /** A line went on past MAX_OVERFLOW_LINE_OCTETS without a line end. */
  overflowExceeded(): void;
}

/**
 * Cuts the client's command stream into lines (RFC 5321 2.3.8, with a bare LF also ending a
 * line, as some servers read it), whatever the segmentation. A partial line is copied and
 * held up to the limit; a longer line is handed on in pieces as it streams.
 */
export class LineFramer {
  readonly #sink: LineSink;
  /** Octets a line may have, line end included (RFC 5321 4.5.3.1.4, or RFC 4954's 12288). */
  limit = MAX_COMMAND_LINE_OCTETS;
  #partial: Buffer | undefined;
  #overflowOctets = -1;

  constructor(sink: LineSink) {
    this.#sink = sink;
  }

  get partialOctets(): number {
    return this.#partial?.length ?? 0;
  }

  /** Consumes at most one line from chunk[at..]; returns where it stopped. */
  bytes(chunk: Buffer, at: number): number {
    const lf = chunk.indexOf(LF, at);
    const end = lf === -1 ? chunk.length : lf + 1;
    if (this.#overflowOctets >= 0) return this.#overflowing(chunk, at, end, lf !== -1);
    const partialOctets = this.#partial?.length ?? 0;
    if (partialOctets + end - at > this.limit) {
      const line = Buffer.concat([this.#partial ?? Buffer.alloc(0), chunk.subarray(at, end)]);
      this.#partial = undefined;
      this.#overflowOctets = 0;
      this.#overflowing(line, 0, line.length, lf !== -1, true);
      return end;
    }
    if (lf === -1) {
      // Copied, so that an idle session does not keep a whole socket chunk alive.
      const piece = Buffer.from(chunk.subarray(at));
      this.#partial = this.#partial === undefined ? piece : Buffer.concat([this.#partial, piece]);
      return end;
    }
    if (this.#partial === undefined) {
      this.#sink.line(chunk, at, end);
    } else {
      const line = Buffer.concat([this.#partial, chunk.subarray(at, end)]);
      this.#partial = undefined;
      this.#sink.line(line, 0, line.length);
    }
    return end;
  }

  #overflowing(chunk: Buffer, at: number, end: number, complete: boolean, first = false): number {
    this.#overflowOctets += end - at;
    if (this.#overflowOctets > MAX_OVERFLOW_LINE_OCTETS) {
      this.#overflowOctets = -1;
      this.#sink.overflowExceeded();
      return chunk.length;
    }
    if (complete) this.#overflowOctets = -1;
    this.#sink.overflow(chunk.subarray(at, end), first, complete);
    return end;
  }
}
