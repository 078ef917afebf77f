/**
 * Diagnostics for the people who run and develop the gateway, apart from the operator's
 * `%FW-` messages: pino, JSON on stderr, one child logger per session. Silent unless
 * `SMTPGUARD_DEBUG` names a level, so that tests and a quiet gateway print nothing.
 */

import { pino, type DestinationStream, type Logger } from "pino";

import { UsageError } from "../errors.js";

export type Diagnostics = Logger;

export const DIAGNOSTICS_ENV = "SMTPGUARD_DEBUG";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export type DiagnosticsLevel = (typeof LEVELS)[number];

// Spellings people use to mean "turn it on".
const SWITCHED_ON = new Set(["1", "true", "yes", "on"]);

/** The level from `SMTPGUARD_DEBUG`: a pino level, or 1/true/yes/on for debug; else silent. */
export function diagnosticsLevelFromEnv(value: string | undefined): DiagnosticsLevel {
  const word = (value ?? "").trim().toLowerCase();
  if (word === "") return "silent";
  if (SWITCHED_ON.has(word)) return "debug";

  const level = LEVELS.find((candidate) => candidate === word);
  if (level === undefined) {
    throw new UsageError(`${DIAGNOSTICS_ENV}=${value ?? ""}: expected one of ${LEVELS.join(", ")}`);
  }
  return level;
}

/** `destination` is for tests; the gateway writes to stderr. */
export function createDiagnostics(
  level: DiagnosticsLevel = diagnosticsLevelFromEnv(process.env[DIAGNOSTICS_ENV]),
  destination: DestinationStream = stderrDestination(),
): Diagnostics {
  return pino({ level, base: { name: "smtpguard" } }, destination);
}

// Synchronous, so that the last lines before a crash or an exit are not lost.
function stderrDestination(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

/** The fields that tie every diagnostic of one session together. */
export interface SessionFields {
  readonly sid: string;
  readonly initiator: string;
  readonly responder: string;
}

export function sessionDiagnostics(root: Diagnostics, fields: SessionFields): Diagnostics {
  return root.child({ sid: fields.sid, initiator: fields.initiator, responder: fields.responder });
}
