/**
 * The console sink: what `smtpguard run` prints, one line per message, as `logging console`
 * would on the router.
 */

import { lineText, type FwLine, type LogSink } from "./log-sink.js";
import { DEFAULT_LOCAL_LEVEL, passesLevel, type Severity } from "./severity.js";

/** The part of a writable stream the sink needs, so a test can hand in a plain collector. */
export interface TextOutput {
  write(text: string): unknown;
}

export interface StderrSinkOptions {
  readonly level?: Severity;
  readonly output?: TextOutput;
}

export class StderrSink implements LogSink {
  readonly #level: Severity;
  readonly #output: TextOutput;

  constructor(options: StderrSinkOptions = {}) {
    this.#level = options.level ?? DEFAULT_LOCAL_LEVEL;
    this.#output = options.output ?? process.stderr;
  }

  write(line: FwLine): void {
    if (!passesLevel(line.severity, this.#level)) return;
    this.#output.write(`${lineText(line)}\n`);
  }

  // The output belongs to the process, not to the sink: nothing to release.
  close(): Promise<void> {
    return Promise.resolve();
  }
}
