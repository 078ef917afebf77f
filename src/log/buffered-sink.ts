/**
 * The `logging buffered` sink: a ring that keeps the most recent lines within a size in octets,
 * which `show logging` prints.
 */

import assert from "node:assert/strict";

import { limitOctets } from "./arguments.js";
import { lineText, type FwLine, type LogSink } from "./log-sink.js";
import { DEFAULT_LOCAL_LEVEL, passesLevel, type Severity } from "./severity.js";

/** IOS `logging buffered` default size on 12.x images, in octets. */
export const DEFAULT_BUFFER_OCTETS = 4096;

/** IOS accepts `logging buffered 4096` to `2147483647`. */
export const MIN_BUFFER_OCTETS = 4096;
export const MAX_BUFFER_OCTETS = 2_147_483_647;

// Each line is counted with the newline `show logging` prints after it.
const LINE_END_OCTETS = 1;

export interface BufferedSinkOptions {
  readonly octets?: number;
  readonly level?: Severity;
}

interface StoredLine {
  readonly text: string;
  readonly octets: number;
}

export class BufferedSink implements LogSink {
  readonly #capacity: number;
  readonly #level: Severity;
  // A queue as an array and a head index, so dropping the oldest line costs nothing.
  #lines: StoredLine[] = [];
  #head = 0;
  #used = 0;
  #logged = 0;

  constructor(options: BufferedSinkOptions = {}) {
    const octets = options.octets ?? DEFAULT_BUFFER_OCTETS;
    assert.ok(
      Number.isInteger(octets) && octets >= MIN_BUFFER_OCTETS && octets <= MAX_BUFFER_OCTETS,
      `logging buffer size ${octets} outside ${MIN_BUFFER_OCTETS}-${MAX_BUFFER_OCTETS}`,
    );
    this.#capacity = octets;
    this.#level = options.level ?? DEFAULT_LOCAL_LEVEL;
  }

  write(line: FwLine): void {
    if (!passesLevel(line.severity, this.#level)) return;

    const stored = fit(lineText(line), this.#capacity - LINE_END_OCTETS);
    this.#lines.push(stored);
    this.#used += stored.octets;
    this.#logged += 1;
    this.#evict();
  }

  /** The buffered lines, oldest first, without line ends. */
  lines(): string[] {
    return this.#lines.slice(this.#head).map((line) => line.text);
  }

  /** `clear logging`. */
  clear(): void {
    this.#lines = [];
    this.#head = 0;
    this.#used = 0;
  }

  get capacityOctets(): number {
    return this.#capacity;
  }

  get usedOctets(): number {
    return this.#used;
  }

  /** Messages that passed the level since start, as `show logging` counts them. */
  get logged(): number {
    return this.#logged;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #evict(): void {
    while (this.#used > this.#capacity) {
      const oldest = this.#lines[this.#head];
      assert.ok(oldest !== undefined, "logging buffer accounting out of step");
      this.#used -= oldest.octets;
      this.#head += 1;
    }

    // Compact once the dropped part outweighs the kept part, so memory stays within twice the ring.
    if (this.#head > this.#lines.length - this.#head) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }
}

function fit(text: string, maxOctets: number): StoredLine {
  const kept = limitOctets(text, maxOctets);
  return { text: kept, octets: Buffer.byteLength(kept) + LINE_END_OCTETS };
}
