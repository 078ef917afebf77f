/**
 * Messages Cisco never documented: names of ours in the same form, each marked `cisco: false`
 * so the README can list them.
 */

import type { AnomalyKind } from "../inspect/events.js";
import { argument, maskSecrets } from "./arguments.js";
import {
  build,
  endpoint,
  MAX_CONFIG_TEXT_CHARS,
  MAX_DESCRIPTION_CHARS,
  MAX_REASON_CHARS,
  MAX_VARIANT_CHARS,
  MAX_VERB_CHARS,
  type CatalogueEntry,
  type Endpoint,
  type FwMessage,
} from "./message-format.js";

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
