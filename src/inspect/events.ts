import type { RefusalReason } from "./refusal.js";

/**
 * Typed events of the inspector. They flow one way, to sinks (the %FW- log, the audit trail,
 * the debug trace, counters); no sink changes a decision.
 */

/** What the inspector did with a command line. */
export type CommandAction = "pass" | "mask";

/** Why a line was masked: an illegal verb, an overlong line, or an esmtp check. */
export type MaskReason = "illegal-verb" | "line-overflow" | RefusalReason;

/** A command line the policy refused: forwarded as X's of the same length. */
export interface InvalidCommandEvent {
  readonly type: "invalid-command";
  readonly at: number;
  /** The verb as the client wrote it, cut to 16 octets, printable ASCII only. */
  readonly verb: string;
  /** Octets of the line before its line end. */
  readonly length: number;
  readonly reason: MaskReason;
}

/** Message content went past the rule's max-data: the session is reset. */
export interface MaxDataExceededEvent {
  readonly type: "max-data-exceeded";
  readonly at: number;
  readonly limit: number;
}

/** Message content held an end-of-data look-alike: the session is reset. */
export interface SmugglingEvent {
  readonly type: "smuggling";
  readonly at: number;
  /** The sequence seen, written with CR, LF, NUL and "." (for example "LF.LF"). */
  readonly variant: string;
}

/** Something the server tolerates but RFC 5321 does not: logged once per session, bytes kept. */
export interface AnomalyEvent {
  readonly type: "anomaly";
  readonly at: number;
  readonly kind: AnomalyKind;
}

export type AnomalyKind =
  | "bare-lf-in-command"
  | "bare-cr-in-command"
  | "bare-lf-in-content"
  | "bare-cr-in-content"
  | "long-reply-line"
  | "invalid-reply"
  | "unmatched-reply"
  | "8bit-without-body"
  | "bad-enhanced-status-code"
  | "path-without-brackets"
  | "space-after-colon"
  | "pipelining-after-sync-point"
  | "pipelining-not-advertised"
  | "long-header-line"
  | "long-body-line"
  | "long-mime-filename";

/** The server's greeting has reached the client: the session is no longer half-open. */
export interface GreetingEvent {
  readonly type: "greeting";
  readonly at: number;
  readonly code: number;
}

/** The session was reset by the inspector. */
export interface ResetEvent {
  readonly type: "reset";
  readonly at: number;
  readonly reason: ResetReason;
}

export type ResetReason = "max-data" | "smuggling" | "line-overflow" | "held-overflow" | "policy";

/**
 * STARTTLS was answered 220 (ASA 108007). Under `allow` inspection stops here; under
 * `terminate` the session must now start TLS on both legs and call `tlsEstablished()`.
 */
export interface TlsStartedEvent {
  readonly type: "tls-started";
  readonly at: number;
  /** True when the gateway terminates TLS and goes on inspecting. */
  readonly terminated: boolean;
  /** Plaintext octets the client had sent after STARTTLS, discarded (an injection attempt). */
  readonly discarded: number;
}

/** Trace events, emitted only when tracing is on (`debug ip inspect`). */
export interface CommandTraceEvent {
  readonly type: "trace-command";
  readonly at: number;
  readonly index: number;
  readonly verb: string;
  readonly parameters: string;
  readonly length: number;
  readonly action: CommandAction;
}

export interface ReplyTraceEvent {
  readonly type: "trace-reply";
  readonly at: number;
  readonly code: number;
  /** True for the last line of a reply. */
  readonly final: boolean;
  readonly length: number;
  /** What the reply answered ("greeting", a verb, "message", "auth-response"). */
  readonly answers: string;
}

export interface DataTraceEvent {
  readonly type: "trace-data";
  readonly at: number;
  readonly phase: "start" | "end";
  /** Content octets of the message, at its end. */
  readonly octets: number;
}

export type InspectionEvent =
  | InvalidCommandEvent
  | MaxDataExceededEvent
  | SmugglingEvent
  | AnomalyEvent
  | GreetingEvent
  | ResetEvent
  | TlsStartedEvent
  | CommandTraceEvent
  | ReplyTraceEvent
  | DataTraceEvent;
