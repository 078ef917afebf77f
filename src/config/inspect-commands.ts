/**
 * The global `ip inspect` family: inspection rules, the audit-trail and alert switches, the
 * half-open thresholds and the timers, with their `no` forms.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import {
  defaultInspectGlobals,
  findInspectRule,
  type InspectGlobals,
  type InspectProtocolEntry,
  type Thresholds,
} from "./model.js";
import {
  noOperationsInspectCommand,
  OPERATIONS_INSPECT_KEYWORDS,
  operationsInspectCommand,
} from "./operations-commands.js";
import { noStateStoreCommand, stateStoreCommand } from "./state-store-commands.js";
import type { Cursor } from "./tokens.js";

/** The protocols IOS 12.3 accepts in `ip inspect name`; only smtp, esmtp and tcp are enforced. */
export const INSPECT_PROTOCOLS = [
  "cuseeme",
  "esmtp",
  "ftp",
  "h323",
  "http",
  "icmp",
  "imap",
  "netshow",
  "pop3",
  "rcmd",
  "realaudio",
  "rtsp",
  "sip",
  "skinny",
  "smtp",
  "sqlnet",
  "streamworks",
  "tcp",
  "tftp",
  "udp",
  "vdolive",
] as const;

export const ENFORCED_PROTOCOLS: ReadonlySet<string> = new Set(["smtp", "esmtp", "tcp"]);

// IOS bounds: timers in seconds up to 2147483, the per-host limit 1-250, block-time in minutes.
const MAX_TIMER_SECONDS = 2_147_483;
const MAX_THRESHOLD = 4_294_967_295;
const MAX_HOST_INCOMPLETE = 250;
const MAX_BLOCK_MINUTES = 35_791;
const MAX_DATA_LIMIT = 2_147_483_647;

const INSPECT_SLOT = { slot: "inspect" } as const satisfies GlobalOutcome;

/** The words after `ip inspect` (and `no ip inspect`). */
const IP_INSPECT_KEYWORDS = [
  "name",
  "audit-trail",
  "alert-off",
  "max-incomplete",
  "one-minute",
  "tcp",
  "udp",
  "dns-timeout",
  "source",
  "state-store",
  ...OPERATIONS_INSPECT_KEYWORDS,
] as const;

export function ipInspectCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(IP_INSPECT_KEYWORDS);
  const globals = context.model.inspect;

  switch (what) {
    case "metrics":
    case "graceful-shutdown":
    case "proxy-protocol":
      operationsInspectCommand(cursor, context, what);
      break;
    case "name":
      inspectName(cursor, context);
      break;
    case "audit-trail":
    case "alert-off":
      cursor.end();
      if (what === "audit-trail") globals.auditTrail = true;
      else globals.alertOff = true;
      break;
    case "max-incomplete":
    case "one-minute":
      setThreshold(cursor, context, what);
      break;
    case "source":
      setSourceLimit(cursor, globals);
      break;
    case "state-store":
      stateStoreCommand(cursor, context);
      break;
    default:
      setTimer(cursor, context, what);
  }
  return INSPECT_SLOT;
}

function inspectName(cursor: Cursor, context: CommandContext): void {
  const name = cursor.word();
  const protocolAt = cursor.index;
  const protocol = cursor.keyword(INSPECT_PROTOCOLS);
  const entry = readProtocolOptions(cursor, protocol);

  const rule = findInspectRule(context.model, name);
  if (rule === undefined) {
    context.model.inspectRules.push({ name, protocols: [entry] });
    return;
  }

  // SPEC section 3: the second of smtp and esmtp is refused and the rule stays as it was.
  const rival = protocol === "smtp" ? "esmtp" : protocol === "esmtp" ? "smtp" : undefined;
  if (rival !== undefined && rule.protocols.some((p) => p.protocol === rival)) {
    cursor.refuse(
      `% SMTP and ESMTP inspection cannot be configured together in rule ${name}`,
      protocolAt,
    );
  }

  // Re-entering a protocol replaces its options where it stands.
  const index = rule.protocols.findIndex((p) => p.protocol === protocol);
  if (index >= 0) rule.protocols[index] = entry;
  else rule.protocols.push(entry);
}

function readProtocolOptions(cursor: Cursor, protocol: string): InspectProtocolEntry {
  const entry: InspectProtocolEntry = {
    protocol,
    maxData: undefined,
    alert: undefined,
    auditTrail: undefined,
    timeout: undefined,
  };
  const options =
    protocol === "esmtp" ? ESMTP_OPTIONS : protocol === "smtp" ? MAIL_OPTIONS : COMMON_OPTIONS;

  while (!cursor.done) {
    const option = cursor.keyword(options);
    if (option === "max-data") entry.maxData = cursor.integer(1, MAX_DATA_LIMIT, "max-data");
    else if (option === "timeout") entry.timeout = cursor.integer(1, MAX_TIMER_SECONDS, "Timeout");
    else if (option === "alert") entry.alert = cursor.keyword(ON_OFF) === "on";
    else if (option === "policy-map") entry.policyMap = cursor.word();
    else entry.auditTrail = cursor.keyword(ON_OFF) === "on";
  }
  return entry;
}

const COMMON_OPTIONS = ["alert", "audit-trail", "timeout"] as const;
const MAIL_OPTIONS = ["max-data", ...COMMON_OPTIONS] as const;
const ESMTP_OPTIONS = [...MAIL_OPTIONS, "policy-map"] as const;
const ON_OFF = ["on", "off"] as const;

function readThresholdValue(cursor: Cursor): number {
  if (cursor.optionalKeyword(["unlimited"]) !== undefined) return Number.POSITIVE_INFINITY;
  return cursor.integer(1, MAX_THRESHOLD, "Threshold");
}

function setThreshold(
  cursor: Cursor,
  context: CommandContext,
  family: "max-incomplete" | "one-minute",
): void {
  const bound = cursor.keyword(["high", "low"]);
  const value = readThresholdValue(cursor);
  cursor.end();

  thresholdsOf(context.model.inspect, family)[bound] = value;
  context.settingLines.set(family, context.line);
}

// Ours, beyond the router: `ip inspect source max-sessions N` and `ip inspect source one-minute N`.
const SOURCE_LIMITS = ["max-sessions", "one-minute"] as const;

function setSourceLimit(cursor: Cursor, globals: InspectGlobals): void {
  const limit = cursor.keyword(SOURCE_LIMITS);
  const value = readThresholdValue(cursor);
  cursor.end();
  if (limit === "max-sessions") globals.sourceMaxSessions = value;
  else globals.sourceOneMinute = value;
}

function thresholdsOf(globals: InspectGlobals, family: string): Thresholds {
  return family === "max-incomplete" ? globals.maxIncomplete : globals.oneMinute;
}

function setTimer(cursor: Cursor, context: CommandContext, transport: string): void {
  const globals = context.model.inspect;
  if (transport === "dns-timeout") {
    globals.dnsTimeout = readSeconds(cursor);
    return;
  }
  if (transport === "udp") {
    cursor.keyword(["idle-time"]);
    globals.udpIdleTime = readSeconds(cursor);
    return;
  }

  const timer = cursor.keyword(["synwait-time", "finwait-time", "idle-time", "max-incomplete"]);
  if (timer === "max-incomplete") {
    setHostLimit(cursor, globals);
    return;
  }
  const seconds = readSeconds(cursor);
  if (timer === "synwait-time") globals.tcpSynwaitTime = seconds;
  else if (timer === "finwait-time") globals.tcpFinwaitTime = seconds;
  else globals.tcpIdleTime = seconds;
}

function readSeconds(cursor: Cursor): number {
  const seconds = cursor.integer(1, MAX_TIMER_SECONDS, "Time");
  cursor.end();
  return seconds;
}

function setHostLimit(cursor: Cursor, globals: InspectGlobals): void {
  cursor.keyword(["host"]);
  const limit = cursor.integer(1, MAX_HOST_INCOMPLETE, "Host limit");
  let blockTime = 0;
  if (cursor.optionalKeyword(["block-time"]) !== undefined) {
    blockTime = cursor.integer(0, MAX_BLOCK_MINUTES, "Block-time");
  }
  cursor.end();

  globals.hostMaxIncomplete = limit;
  globals.hostBlockTime = blockTime;
}

/**
 * `no ip inspect ...`: removes a rule or one of its protocols, or puts a global back to default.
 */
export function noIpInspectCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(IP_INSPECT_KEYWORDS);
  if (what === "metrics" || what === "graceful-shutdown" || what === "proxy-protocol") {
    noOperationsInspectCommand(cursor, context, what);
  } else if (what === "state-store") noStateStoreCommand(cursor, context);
  else if (what === "name") removeInspectName(cursor, context);
  else resetGlobal(cursor, context.model.inspect, what);
  return INSPECT_SLOT;
}

function removeInspectName(cursor: Cursor, context: CommandContext): void {
  const name = cursor.word();
  const protocol = cursor.done ? undefined : cursor.keyword(INSPECT_PROTOCOLS);
  // IOS accepts the options the rule was written with after the protocol; they change nothing.
  if (protocol !== undefined) readProtocolOptions(cursor, protocol);

  const rules = context.model.inspectRules;
  const rule = findInspectRule(context.model, name);
  if (rule === undefined) return;

  if (protocol !== undefined) {
    rule.protocols = rule.protocols.filter((p) => p.protocol !== protocol);
  }
  if (protocol === undefined || rule.protocols.length === 0) {
    rules.splice(rules.indexOf(rule), 1);
  }
}

function resetGlobal(cursor: Cursor, globals: InspectGlobals, what: string): void {
  const defaults = defaultInspectGlobals();
  if (what === "audit-trail" || what === "alert-off") {
    cursor.end();
    if (what === "audit-trail") globals.auditTrail = false;
    else globals.alertOff = false;
    return;
  }
  if (what === "source") {
    const limit = cursor.keyword(SOURCE_LIMITS);
    while (!cursor.done) cursor.word();
    if (limit === "max-sessions") globals.sourceMaxSessions = defaults.sourceMaxSessions;
    else globals.sourceOneMinute = defaults.sourceOneMinute;
    return;
  }
  if (what === "max-incomplete" || what === "one-minute") {
    const bound = cursor.keyword(["high", "low"]);
    if (!cursor.done) readThresholdValue(cursor);
    cursor.end();
    thresholdsOf(globals, what)[bound] = thresholdsOf(defaults, what)[bound];
    return;
  }
  resetTimer(cursor, globals, defaults, what);
}

function resetTimer(
  cursor: Cursor,
  globals: InspectGlobals,
  defaults: InspectGlobals,
  transport: string,
): void {
  const timer =
    transport === "dns-timeout"
      ? "dns-timeout"
      : transport === "udp"
        ? `udp-${cursor.keyword(["idle-time"])}`
        : cursor.keyword(["synwait-time", "finwait-time", "idle-time", "max-incomplete"]);
  // The values that were set may follow; IOS ignores them in the `no` form.
  while (!cursor.done) cursor.word();

  const key = TIMER_FIELDS[timer];
  if (key !== undefined) {
    globals[key] = defaults[key];
    return;
  }
  globals.hostMaxIncomplete = defaults.hostMaxIncomplete;
  globals.hostBlockTime = defaults.hostBlockTime;
}

type TimerField =
  "dnsTimeout" | "udpIdleTime" | "tcpSynwaitTime" | "tcpFinwaitTime" | "tcpIdleTime";

const TIMER_FIELDS: Readonly<Record<string, TimerField>> = {
  "dns-timeout": "dnsTimeout",
  "udp-idle-time": "udpIdleTime",
  "synwait-time": "tcpSynwaitTime",
  "finwait-time": "tcpFinwaitTime",
  "idle-time": "tcpIdleTime",
};

/** SPEC section 3: high must not be below low; checked once the whole text is read. */
export function checkThresholds(
  globals: InspectGlobals,
): { family: "max-incomplete" | "one-minute"; message: string }[] {
  const problems: { family: "max-incomplete" | "one-minute"; message: string }[] = [];
  for (const family of ["max-incomplete", "one-minute"] as const) {
    const { high, low } = thresholdsOf(globals, family);
    if (high < low) {
      const message = `% ip inspect ${family} high (${high}) must not be lower than low (${low}).`;
      problems.push({ family, message });
    }
  }
  return problems;
}

/** The running-config lines of the global inspection settings that differ from the defaults. */
export function renderInspectGlobals(globals: InspectGlobals): string[] {
  const defaults = defaultInspectGlobals();
  const lines: string[] = [];
  const differs = (key: keyof InspectGlobals): boolean => globals[key] !== defaults[key];

  for (const family of ["max-incomplete", "one-minute"] as const) {
    const current = thresholdsOf(globals, family);
    const initial = thresholdsOf(defaults, family);
    for (const bound of ["low", "high"] as const) {
      if (current[bound] !== initial[bound]) {
        lines.push(`ip inspect ${family} ${bound} ${thresholdText(current[bound])}`);
      }
    }
  }
  if (differs("tcpSynwaitTime"))
    lines.push(`ip inspect tcp synwait-time ${globals.tcpSynwaitTime}`);
  if (differs("tcpFinwaitTime"))
    lines.push(`ip inspect tcp finwait-time ${globals.tcpFinwaitTime}`);
  if (differs("tcpIdleTime")) lines.push(`ip inspect tcp idle-time ${globals.tcpIdleTime}`);
  if (differs("udpIdleTime")) lines.push(`ip inspect udp idle-time ${globals.udpIdleTime}`);
  if (differs("dnsTimeout")) lines.push(`ip inspect dns-timeout ${globals.dnsTimeout}`);
  if (differs("hostMaxIncomplete") || differs("hostBlockTime")) {
    lines.push(
      `ip inspect tcp max-incomplete host ${globals.hostMaxIncomplete} block-time ${globals.hostBlockTime}`,
    );
  }
  if (differs("sourceMaxSessions")) {
    lines.push(`ip inspect source max-sessions ${thresholdText(globals.sourceMaxSessions)}`);
  }
  if (differs("sourceOneMinute")) {
    lines.push(`ip inspect source one-minute ${thresholdText(globals.sourceOneMinute)}`);
  }
  if (globals.auditTrail) lines.push("ip inspect audit-trail");
  if (globals.alertOff) lines.push("ip inspect alert-off");
  return lines;
}

export function thresholdText(value: number): string {
  return Number.isFinite(value) ? String(value) : "unlimited";
}

/** One protocol of a rule as `ip inspect name` writes it, options in the canonical order. */
export function renderInspectProtocol(ruleName: string, entry: InspectProtocolEntry): string {
  const words = ["ip inspect name", ruleName, entry.protocol];
  if (entry.maxData !== undefined) words.push(`max-data ${entry.maxData}`);
  if (entry.alert !== undefined) words.push(`alert ${entry.alert ? "on" : "off"}`);
  if (entry.auditTrail !== undefined) words.push(`audit-trail ${entry.auditTrail ? "on" : "off"}`);
  if (entry.timeout !== undefined) words.push(`timeout ${entry.timeout}`);
  if (entry.policyMap !== undefined) words.push(`policy-map ${entry.policyMap}`);
  return words.join(" ");
}
