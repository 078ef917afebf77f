/**
 * What every sink receives and promises. A sink filters by its own level, as each IOS logging
 * destination does, and never throws into the session that logged.
 */

import type { Severity } from "./severity.js";

/** One operator message, formatted once by the logger and shared by every sink. */
export interface FwLine {
  /** The timestamp prefix with its `: `, or empty. */
  readonly prefix: string;
  /** `%FW-4-ALERT_ON: getting aggressive, ...` */
  readonly message: string;
  readonly severity: Severity;
  readonly mnemonic: string;
  readonly date: Date;
}

export interface LogSink {
  write(line: FwLine): void;
  /** Resolves once everything written so far has left, and the sink's resources are freed. */
  close(): Promise<void>;
}

/** The line as it reads on a console or in `show logging`. */
export function lineText(line: FwLine): string {
  return `${line.prefix}${line.message}`;
}
