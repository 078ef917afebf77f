/**
 * Debug and monitor lines for a console that may read slower than the gateway traces. Past a
 * bound of unsent octets, lines are dropped and counted, and the console is told how many it
 * missed once it catches up, so a slow terminal never makes the gateway buffer without end.
 */

/** Unsent octets a console may have before its debug lines are dropped. */
export const MAX_PENDING_CONSOLE_OCTETS = 1024 * 1024;

export interface ConsoleSink {
  /** Sends text; the sink adds nothing. */
  write(text: string): void;
  /** Octets written but not yet sent. */
  pendingOctets(): number;
}

export class BoundedLineWriter {
  readonly #sink: ConsoleSink;
  readonly #format: (line: string) => string;
  #dropped = 0;

  /** `format` turns a line into what the transport sends (a line end, a frame). */
  constructor(sink: ConsoleSink, format: (line: string) => string) {
    this.#sink = sink;
    this.#format = format;
  }

  get dropped(): number {
    return this.#dropped;
  }

  line(text: string): void {
    if (this.#sink.pendingOctets() > MAX_PENDING_CONSOLE_OCTETS) {
      this.#dropped += 1;
      return;
    }
    if (this.#dropped > 0) {
      this.#sink.write(this.#format(`% ${this.#dropped} debug lines dropped: console too slow`));
      this.#dropped = 0;
    }
    this.#sink.write(this.#format(text));
  }
}
