/**
 * The operator log: formats each catalogue message once, stamps it as `service timestamps log`
 * says, and fans it out to the configured sinks and to whoever listens (an exec console with
 * `terminal monitor`). Whether a message is logged at all (alert on/off, audit-trail) is the
 * caller's decision; the logger only delivers.
 */

import assert from "node:assert/strict";

import { formatFwMessage, type FwMessage } from "./catalogue.js";
import type { FwLine, LogSink } from "./log-sink.js";
import { formatTimestamp, IOS_DEFAULT_TIMESTAMPS, type TimestampOptions } from "./timestamp.js";

/** Live listeners at once; an exec console takes one, and IOS has 5 vty lines plus a console. */
export const MAX_LINE_LISTENERS = 64;

export type LineListener = (line: FwLine) => void;

export interface FwLoggerOptions {
  readonly sinks: readonly LogSink[];
  readonly timestamps?: TimestampOptions;
  /** Wall-clock time in milliseconds since the epoch; tests pass a fixed one. */
  readonly now?: () => number;
  /** When the gateway started, for `uptime` stamps; defaults to the logger's creation. */
  readonly startedAt?: number;
}

export class FwLogger {
  readonly #sinks: readonly LogSink[];
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #listeners = new Set<LineListener>();
  #timestamps: TimestampOptions;

  constructor(options: FwLoggerOptions) {
    this.#sinks = [...options.sinks];
    this.#now = options.now ?? Date.now;
    this.#startedAt = options.startedAt ?? this.#now();
    this.#timestamps = options.timestamps ?? IOS_DEFAULT_TIMESTAMPS;
  }

  /** `service timestamps log ...` changed in `configure terminal`: applies to the next line. */
  set timestamps(options: TimestampOptions) {
    this.#timestamps = options;
  }

  get timestamps(): TimestampOptions {
    return this.#timestamps;
  }

  log(message: FwMessage): FwLine {
    const line = this.#stamp(message);
    for (const sink of this.#sinks) sink.write(line);

    // A snapshot, so that a listener may unsubscribe itself while it is called.
    for (const listener of [...this.#listeners]) listener(line);
    return line;
  }

  /** Calls `listener` with every line from now on; returns the function that stops it. */
  onLine(listener: LineListener): () => void {
    assert.ok(this.#listeners.size < MAX_LINE_LISTENERS, "too many log line listeners");
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await Promise.all(this.#sinks.map((sink) => sink.close()));
  }

  #stamp(message: FwMessage): FwLine {
    const now = this.#now();
    const date = new Date(now);
    return {
      prefix: formatTimestamp(this.#timestamps, date, now - this.#startedAt),
      message: formatFwMessage(message),
      severity: message.severity,
      mnemonic: message.mnemonic,
      date,
    };
  }
}
