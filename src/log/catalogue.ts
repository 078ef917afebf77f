/**
 * The operator message catalogue: one definition per message, in the IOS form
 * `%FACILITY-SEVERITY-MNEMONIC: text`. Cisco's own messages, here, follow REFERENCE.md section 4
 * to the character; the ones Cisco never documented are in catalogue-ours.ts. The README lists
 * them all from `CATALOGUE`.
 */

import { argument } from "./arguments.js";
import {
  NOT_APPLICABLE,
  SERVER_UNREACHABLE,
  SMTP_ANOMALY,
  SMTP_COMMAND_REFUSED,
  SMTP_LINE_OVERFLOW,
  SMTP_MAX_DATA_EXCEEDED,
  SMTP_SMUGGLING,
  SMTP_TLS_STARTED,
  STATE_STORE_DOWN,
  STATE_STORE_UP,
  XCLIENT_REFUSED,
} from "./catalogue-ours.js";
import {
  address,
  build,
  endpoint,
  MAX_ACL_NAME_CHARS,
  MAX_VERB_CHARS,
  protocol,
  type CatalogueEntry,
  type Endpoint,
  type FwMessage,
} from "./message-format.js";

export * from "./catalogue-ours.js";
export * from "./message-format.js";

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
