/**
 * The operator message catalogue: one definition per message, in the IOS form
 * `%FACILITY-SEVERITY-MNEMONIC: text`. Cisco's own messages follow REFERENCE.md section 4 to the
 * character; the ones Cisco never documented carry `cisco: false` and a name of ours in the same
 * form, and the README lists them from `CATALOGUE`.
 */

import type { AnomalyKind } from "../inspect/events.js";
import { argument, maskSecrets } from "./arguments.js";
import type { Severity } from "./severity.js";

/**
 * FW for the firewall; SEC for the access-list log, as IOS files it; SYS for the start-up notice
 * about inert configuration, because it is about the configuration, not a connection, and
 * keeping it out of FW lets an operator read every `%FW-` line as a firewall event.
 */
export type Facility = "FW" | "SEC" | "SYS";

export interface FwMessage {
  readonly facility: Facility;
  readonly mnemonic: string;
  readonly severity: Severity;
  readonly text: string;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** What the README needs to list a message. */
export interface CatalogueEntry {
  readonly facility: Facility;
  readonly mnemonic: string;
  readonly severity: Severity;
  readonly cisco: boolean;
  /** The text with System Message Guide placeholders: `[chars]`, `[dec]`, `[IP]`. */
  readonly format: string;
}

// Bounds on arguments that come from peers or from the configuration file.
const MAX_PROTOCOL_CHARS = 16;
const MAX_VERB_CHARS = 16;
const MAX_VARIANT_CHARS = 16;
const MAX_ACL_NAME_CHARS = 64;
const MAX_REASON_CHARS = 80;
const MAX_DESCRIPTION_CHARS = 80;
const MAX_CONFIG_TEXT_CHARS = 80;

export function formatFwMessage(message: FwMessage): string {
  return `%${message.facility}-${message.severity}-${message.mnemonic}: ${message.text}`;
}

function build(entry: CatalogueEntry, text: string): FwMessage {
  return { facility: entry.facility, mnemonic: entry.mnemonic, severity: entry.severity, text };
}

// A socket reports an IPv4 peer on a dual-stack listener as ::ffff:a.b.c.d; IOS would print
// the IPv4 address.
function address(value: string): string {
  return value.startsWith("::ffff:") && value.includes(".") ? value.slice(7) : value;
}

function endpoint(value: Endpoint): string {
  return `${address(value.address)}:${value.port}`;
}

function protocol(value: string): string {
  return argument(value, MAX_PROTOCOL_CHARS);
}

export const SESS_AUDIT_TRAIL_START = {
  facility: "FW",
  mnemonic: "SESS_AUDIT_TRAIL_START",
  severity: 6,
  cisco: true,
  format: "Start [chars] session: initiator ([IP]:[dec]) -- responder ([IP]:[dec])",
} as const satisfies CatalogueEntry;

export function sessAuditTrailStart(a: {
  readonly protocol: string;
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
}): FwMessage {
  const text =
    `Start ${protocol(a.protocol)} session: initiator (${endpoint(a.initiator)})` +
    ` -- responder (${endpoint(a.responder)})`;
  return build(SESS_AUDIT_TRAIL_START, text);
}

// The 12.3+ form, with "Stop" and a colon; 12.0/12.1 printed neither.
export const SESS_AUDIT_TRAIL = {
  facility: "FW",
  mnemonic: "SESS_AUDIT_TRAIL",
  severity: 6,
  cisco: true,
  format:
    "Stop [chars] session: initiator ([IP]:[dec]) sent [dec] bytes -- " +
    "responder ([IP]:[dec]) sent [dec] bytes",
} as const satisfies CatalogueEntry;

export function sessAuditTrail(a: {
  readonly protocol: string;
  readonly initiator: Endpoint;
  readonly initiatorBytes: number;
  readonly responder: Endpoint;
  readonly responderBytes: number;
}): FwMessage {
  const text =
    `Stop ${protocol(a.protocol)} session: initiator (${endpoint(a.initiator)})` +
    ` sent ${a.initiatorBytes} bytes -- responder (${endpoint(a.responder)})` +
    ` sent ${a.responderBytes} bytes`;
  return build(SESS_AUDIT_TRAIL, text);
}

// SPEC section 5 fixes severity 4, the configuration guide's; the System Message Guide says 3.
export const SMTP_INVALID_COMMAND = {
  facility: "FW",
  mnemonic: "SMTP_INVALID_COMMAND",
  severity: 4,
  cisco: true,
  format:
    "Invalid SMTP command from initiator ([IP]:[dec]); with the command: " +
    "Invalid SMTP command ([chars]) ([dec] total chars) from initiator ([IP]:[dec])",
} as const satisfies CatalogueEntry;

export function smtpInvalidCommand(a: {
  readonly initiator: Endpoint;
  /** The later IOS variant's detail: the verb only, never its parameters. */
  readonly command?: { readonly verb: string; readonly length: number } | undefined;
}): FwMessage {
  const detail =
    a.command === undefined
      ? ""
      : ` (${argument(a.command.verb, MAX_VERB_CHARS)}) (${a.command.length} total chars)`;
  const text = `Invalid SMTP command${detail} from initiator (${endpoint(a.initiator)})`;
  return build(SMTP_INVALID_COMMAND, text);
}

export const ALERT_ON = {
  facility: "FW",
  mnemonic: "ALERT_ON",
  severity: 4,
  cisco: true,
  format: "getting aggressive, count ([dec]/[dec]) current 1-min rate: [dec]",
} as const satisfies CatalogueEntry;

/** `count` is the half-open count, `high` the threshold crossed, `rate` new ones in a minute. */
export function alertOn(a: {
  readonly count: number;
  readonly high: number;
  readonly rate: number;
}): FwMessage {
  const text = `getting aggressive, count (${a.count}/${a.high}) current 1-min rate: ${a.rate}`;
  return build(ALERT_ON, text);
}

export const ALERT_OFF = {
  facility: "FW",
  mnemonic: "ALERT_OFF",
  severity: 4,
  cisco: true,
  format: "calming down, count ([dec]/[dec]) current 1-min rate: [dec]",
} as const satisfies CatalogueEntry;

export function alertOff(a: {
  readonly count: number;
  readonly low: number;
  readonly rate: number;
}): FwMessage {
  const text = `calming down, count (${a.count}/${a.low}) current 1-min rate: ${a.rate}`;
  return build(ALERT_OFF, text);
}

export const HOST_TCP_ALERT_ON = {
  facility: "FW",
  mnemonic: "HOST_TCP_ALERT_ON",
  severity: 4,
  cisco: true,
  format: "Max tcp half-open connections ([dec]) exceeded for host [IP].",
} as const satisfies CatalogueEntry;

export function hostTcpAlertOn(a: { readonly limit: number; readonly host: string }): FwMessage {
  const text = `Max tcp half-open connections (${a.limit}) exceeded for host ${address(a.host)}.`;
  return build(HOST_TCP_ALERT_ON, text);
}

export const BLOCK_HOST = {
  facility: "FW",
  mnemonic: "BLOCK_HOST",
  severity: 2,
  cisco: true,
  format:
    "Blocking new TCP connections to host [IP] for [dec] minute[chars] " +
    "(half-open count [dec] exceeded).",
} as const satisfies CatalogueEntry;

export function blockHost(a: {
  readonly host: string;
  readonly minutes: number;
  readonly limit: number;
}): FwMessage {
  const unit = a.minutes === 1 ? "minute" : "minutes";
  const text =
    `Blocking new TCP connections to host ${address(a.host)} for ${a.minutes} ${unit}` +
    ` (half-open count ${a.limit} exceeded).`;
  return build(BLOCK_HOST, text);
}

export const UNBLOCK_HOST = {
  facility: "FW",
  mnemonic: "UNBLOCK_HOST",
  severity: 4,
  cisco: true,
  format: "New TCP connections to host [IP] no longer blocked",
} as const satisfies CatalogueEntry;

export function unblockHost(a: { readonly host: string }): FwMessage {
  return build(UNBLOCK_HOST, `New TCP connections to host ${address(a.host)} no longer blocked`);
}

// Ours: several instances share their thresholds through a state store (Redis); when it does
// not answer in time each instance falls back to its own share of the limits.
export const STATE_STORE_DOWN = {
  facility: "FW",
  mnemonic: "STATE_STORE_DOWN",
  severity: 4,
  cisco: false,
  format: "State store [chars] unreachable; thresholds local at [dec] percent of the limits",
} as const satisfies CatalogueEntry;

export function stateStoreDown(a: { readonly store: string; readonly share: number }): FwMessage {
  const store = argument(a.store, MAX_DESCRIPTION_CHARS);
  const text = `State store ${store} unreachable; thresholds local at ${a.share} percent of the limits`;
  return build(STATE_STORE_DOWN, text);
}

export const STATE_STORE_UP = {
  facility: "FW",
  mnemonic: "STATE_STORE_UP",
  severity: 5,
  cisco: false,
  format: "State store [chars] reachable again; thresholds shared by the cluster",
} as const satisfies CatalogueEntry;

export function stateStoreUp(a: { readonly store: string }): FwMessage {
  const store = argument(a.store, MAX_DESCRIPTION_CHARS);
  return build(
    STATE_STORE_UP,
    `State store ${store} reachable again; thresholds shared by the cluster`,
  );
}

// Cisco documents that max-data logs an alert and closes the session, but not the message.
export const SMTP_MAX_DATA_EXCEEDED = {
  facility: "FW",
  mnemonic: "SMTP_MAX_DATA_EXCEEDED",
  severity: 4,
  cisco: false,
  format:
    "Maximum data length ([dec]) exceeded for SMTP session initiator ([IP]:[dec]) -- " +
    "responder ([IP]:[dec]), session reset",
} as const satisfies CatalogueEntry;

export function smtpMaxDataExceeded(a: {
  readonly limit: number;
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
}): FwMessage {
  const text =
    `Maximum data length (${a.limit}) exceeded for SMTP session` +
    ` initiator (${endpoint(a.initiator)}) -- responder (${endpoint(a.responder)}), session reset`;
  return build(SMTP_MAX_DATA_EXCEEDED, text);
}

export const SMTP_SMUGGLING = {
  facility: "FW",
  mnemonic: "SMTP_SMUGGLING",
  severity: 4,
  cisco: false,
  format:
    "End-of-data look-alike ([chars]) in message content from initiator ([IP]:[dec]), " +
    "session reset",
} as const satisfies CatalogueEntry;

/** `variant` is the sequence seen, written as the inspector names it (`LF.LF`). */
export function smtpSmuggling(a: {
  readonly variant: string;
  readonly initiator: Endpoint;
}): FwMessage {
  const text =
    `End-of-data look-alike (${argument(a.variant, MAX_VARIANT_CHARS)}) in message content` +
    ` from initiator (${endpoint(a.initiator)}), session reset`;
  return build(SMTP_SMUGGLING, text);
}

export const SMTP_LINE_OVERFLOW = {
  facility: "FW",
  mnemonic: "SMTP_LINE_OVERFLOW",
  severity: 4,
  cisco: false,
  format: "Command line of [dec] octets over the limit from initiator ([IP]:[dec])",
} as const satisfies CatalogueEntry;

export function smtpLineOverflow(a: {
  readonly octets: number;
  readonly initiator: Endpoint;
}): FwMessage {
  const initiator = endpoint(a.initiator);
  const text = `Command line of ${a.octets} octets over the limit from initiator (${initiator})`;
  return build(SMTP_LINE_OVERFLOW, text);
}

export const SMTP_COMMAND_REFUSED = {
  facility: "FW",
  mnemonic: "SMTP_COMMAND_REFUSED",
  severity: 4,
  cisco: false,
  format: "Command ([chars]) refused ([chars]) from initiator ([IP]:[dec])",
} as const satisfies CatalogueEntry;

/** An esmtp rule refused a command its verb list allows (sequence, parameters, addresses). */
export function smtpCommandRefused(a: {
  readonly verb: string;
  readonly reason: string;
  readonly initiator: Endpoint;
}): FwMessage {
  const verb = argument(a.verb, MAX_VERB_CHARS);
  const reason = argument(a.reason, MAX_REASON_CHARS);
  const text = `Command (${verb}) refused (${reason}) from initiator (${endpoint(a.initiator)})`;
  return build(SMTP_COMMAND_REFUSED, text);
}

// The ASA's 108007 ("TLS started on ESMTP session"), in IOS form.
export const SMTP_TLS_STARTED = {
  facility: "FW",
  mnemonic: "SMTP_TLS_STARTED",
  severity: 6,
  cisco: false,
  format:
    "TLS started on SMTP session initiator ([IP]:[dec]) -- responder ([IP]:[dec]), " +
    "inspection [chars]",
} as const satisfies CatalogueEntry;

/** `inspected`: the gateway terminates TLS and inspects inside ("continues"), or it stops. */
export function smtpTlsStarted(a: {
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
  readonly inspected?: boolean;
}): FwMessage {
  const text =
    `TLS started on SMTP session initiator (${endpoint(a.initiator)}) -- responder` +
    ` (${endpoint(a.responder)}), inspection ${a.inspected === true ? "continues" : "stops"}`;
  return build(SMTP_TLS_STARTED, text);
}

export const XCLIENT_REFUSED = {
  facility: "FW",
  mnemonic: "XCLIENT_REFUSED",
  severity: 4,
  cisco: false,
  format: "Responder ([IP]:[dec]) did not take XCLIENT for initiator ([IP]:[dec]): [chars]",
} as const satisfies CatalogueEntry;

/** The mail server did not offer or refused XCLIENT: it sees the gateway, not the client. */
export function xclientRefused(a: {
  readonly responder: Endpoint;
  readonly initiator: Endpoint;
  readonly reason: string;
}): FwMessage {
  const text =
    `Responder (${endpoint(a.responder)}) did not take XCLIENT for initiator` +
    ` (${endpoint(a.initiator)}): ${argument(a.reason, MAX_REASON_CHARS)}`;
  return build(XCLIENT_REFUSED, text);
}

export const SERVER_UNREACHABLE = {
  facility: "FW",
  mnemonic: "SERVER_UNREACHABLE",
  severity: 4,
  cisco: false,
  format: "Cannot reach responder ([IP]:[dec]) for initiator ([IP]:[dec]): [chars]",
} as const satisfies CatalogueEntry;

/** `reason` is short and ours (an errno code such as ECONNREFUSED, or "connect timeout"). */
export function serverUnreachable(a: {
  readonly responder: Endpoint;
  readonly initiator: Endpoint;
  readonly reason: string;
}): FwMessage {
  const text =
    `Cannot reach responder (${endpoint(a.responder)}) for initiator (${endpoint(a.initiator)})` +
    `: ${argument(a.reason, MAX_REASON_CHARS)}`;
  return build(SERVER_UNREACHABLE, text);
}

// The access-list `log` keyword's message; IOS files it under SEC, not FW.
export const IPACCESSLOGP = {
  facility: "SEC",
  mnemonic: "IPACCESSLOGP",
  severity: 6,
  cisco: true,
  format: "list [chars] [chars] tcp [IP]([dec]) -> [IP]([dec]), [dec] packet[chars]",
} as const satisfies CatalogueEntry;

export function accessListLog(a: {
  readonly list: string;
  readonly action: "denied" | "permitted";
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
  /** IOS reports the first packet at once and later ones in a count; a gateway sees one. */
  readonly packets?: number | undefined;
}): FwMessage {
  const packets = a.packets ?? 1;
  const from = `${address(a.initiator.address)}(${a.initiator.port})`;
  const to = `${address(a.responder.address)}(${a.responder.port})`;
  const text =
    `list ${argument(a.list, MAX_ACL_NAME_CHARS)} ${a.action} tcp ${from} -> ${to},` +
    ` ${packets} ${packets === 1 ? "packet" : "packets"}`;
  return build(IPACCESSLOGP, text);
}

export const SMTP_ANOMALY = {
  facility: "FW",
  mnemonic: "SMTP_ANOMALY",
  severity: 6,
  cisco: false,
  format: "[chars] in SMTP session from initiator ([IP]:[dec])",
} as const satisfies CatalogueEntry;

const ANOMALY_DESCRIPTIONS: Readonly<Record<AnomalyKind, string>> = {
  "bare-lf-in-command": "Bare LF in command line",
  "bare-cr-in-command": "Bare CR in command line",
  "bare-lf-in-content": "Bare LF in message content",
  "bare-cr-in-content": "Bare CR in message content",
  "long-reply-line": "Reply line over the limit",
  "invalid-reply": "Reply without a valid code",
  "unmatched-reply": "Reply to no command",
  "8bit-without-body": "8-bit content without BODY=8BITMIME",
  "bad-enhanced-status-code": "Malformed enhanced status code",
  "path-without-brackets": "Path without angle brackets",
  "space-after-colon": "Space after the colon of MAIL FROM or RCPT TO",
  "pipelining-after-sync-point": "Command pipelined after a sync point",
  "pipelining-not-advertised": "Pipelining without PIPELINING advertised",
  "long-header-line": "Header line over the limit",
  "long-body-line": "Body line over the limit",
  "long-mime-filename": "MIME file name over the limit",
};

export function describeAnomaly(kind: AnomalyKind): string {
  return ANOMALY_DESCRIPTIONS[kind];
}

export function smtpAnomaly(a: {
  readonly description: string;
  readonly initiator: Endpoint;
}): FwMessage {
  const description = argument(a.description, MAX_DESCRIPTION_CHARS);
  const text = `${description} in SMTP session from initiator (${endpoint(a.initiator)})`;
  return build(SMTP_ANOMALY, text);
}

export const NOT_APPLICABLE = {
  facility: "SYS",
  mnemonic: "NOT_APPLICABLE",
  severity: 6,
  cisco: false,
  format: "Configuration line [dec] not applicable to a gateway: [chars]",
} as const satisfies CatalogueEntry;

/** `text` is the configuration line as written; anything after a credential keyword is hidden. */
export function notApplicable(a: { readonly line: number; readonly text: string }): FwMessage {
  const text = argument(maskSecrets(a.text.trim()), MAX_CONFIG_TEXT_CHARS);
  return build(NOT_APPLICABLE, `Configuration line ${a.line} not applicable to a gateway: ${text}`);
}

/** Every message, in the order the README lists them. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  SESS_AUDIT_TRAIL_START,
  SESS_AUDIT_TRAIL,
  SMTP_INVALID_COMMAND,
  ALERT_ON,
  ALERT_OFF,
  HOST_TCP_ALERT_ON,
  BLOCK_HOST,
  UNBLOCK_HOST,
  STATE_STORE_DOWN,
  STATE_STORE_UP,
  IPACCESSLOGP,
  SMTP_MAX_DATA_EXCEEDED,
  SMTP_SMUGGLING,
  SMTP_LINE_OVERFLOW,
  SMTP_COMMAND_REFUSED,
  SMTP_TLS_STARTED,
  XCLIENT_REFUSED,
  SERVER_UNREACHABLE,
  SMTP_ANOMALY,
  NOT_APPLICABLE,
];
