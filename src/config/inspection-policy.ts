/**
 * What a rule means once defaults and global settings are applied: the values `show ip inspect`
 * prints and the policy object the inspector is given.
 */

import {
  DEFAULT_MAX_DATA,
  defaultEsmtpPolicy,
  INSPECTED_EHLO_KEYWORDS,
  type EsmtpPolicy,
  type InspectionPolicy,
  type LimitAction,
} from "../inspect/policy.js";
import {
  findInspectRule,
  type EsmtpPolicyMap,
  type InspectProtocolEntry,
  type PolicyCriterion,
  type RouterConfig,
} from "./model.js";

// IOS 12.3: icmp sessions time out after 10 s unless the rule says otherwise.
const ICMP_TIMEOUT_SECONDS = 10;
const UDP_PROTOCOLS: ReadonlySet<string> = new Set(["udp", "tftp"]);

export interface EffectiveProtocolSettings {
  readonly protocol: string;
  /** Only for smtp and esmtp. */
  readonly maxData: number | undefined;
  readonly alert: boolean;
  readonly auditTrail: boolean;
  readonly timeout: number;
}

/** A rule's protocol entry with its unset options taken from the globals and IOS defaults. */
export function effectiveSettings(
  model: RouterConfig,
  entry: InspectProtocolEntry,
): EffectiveProtocolSettings {
  const mail = entry.protocol === "smtp" || entry.protocol === "esmtp";
  return {
    protocol: entry.protocol,
    maxData: mail ? (entry.maxData ?? DEFAULT_MAX_DATA) : undefined,
    alert: entry.alert ?? !model.inspect.alertOff,
    auditTrail: entry.auditTrail ?? model.inspect.auditTrail,
    timeout: entry.timeout ?? defaultTimeout(model, entry.protocol),
  };
}

function defaultTimeout(model: RouterConfig, protocol: string): number {
  if (protocol === "icmp") return ICMP_TIMEOUT_SECONDS;
  if (UDP_PROTOCOLS.has(protocol)) return model.inspect.udpIdleTime;
  return model.inspect.tcpIdleTime;
}

/** The inspector's policy for a rule: its smtp or esmtp entry, or undefined if it has neither. */
export function inspectionPolicyFor(
  model: RouterConfig,
  ruleName: string,
): InspectionPolicy | undefined {
  const rule = findInspectRule(model, ruleName);
  const entry = rule?.protocols.find((p) => p.protocol === "smtp" || p.protocol === "esmtp");
  if (entry === undefined) return undefined;

  const protocol = entry.protocol === "smtp" ? "smtp" : "esmtp";
  const policy: InspectionPolicy = { protocol, maxData: entry.maxData ?? DEFAULT_MAX_DATA };
  const map = model.policyMaps?.find((candidate) => candidate.name === entry.policyMap);
  return protocol === "esmtp" && map !== undefined
    ? { ...policy, esmtp: esmtpPolicy(map) }
    : policy;
}

/** The inspected EHLO keywords less those a `match ehlo-reply-parameter KEYWORD` masks. */
function keptEhloKeywords(map: EsmtpPolicyMap): Set<string> {
  const kept = new Set(INSPECTED_EHLO_KEYWORDS);
  for (const match of map.matches) {
    if (match.criterion === "ehlo-keyword" && match.action?.kind === "mask" && match.keyword) {
      kept.delete(match.keyword);
    }
  }
  return kept;
}

/**
 * A policy map over the ASA default map: its parameters, and each of its matches with its
 * action (drop-connection and reset end the session, log only logs). A match without an
 * action keeps the default's. `cmd line length` stays the engine's masking (SPEC section 5).
 */
export function esmtpPolicy(map: EsmtpPolicyMap): EsmtpPolicy {
  const defaults = defaultEsmtpPolicy();
  const limit = (
    criterion: PolicyCriterion,
    fallback: { readonly limit: number; readonly action: LimitAction },
  ): { limit: number; action: LimitAction } => {
    const match = map.matches.find((candidate) => candidate.criterion === criterion);
    if (match === undefined) return { ...fallback };
    const kind = match.action?.kind;
    const action = kind === undefined ? fallback.action : kind === "log" ? "log" : "reset";
    return { limit: match.value, action };
  };
  const ehlo = map.matches.find((candidate) => candidate.criterion === "ehlo-others");
  return {
    ...defaults,
    tls: map.terminateTls !== undefined ? "terminate" : map.allowTls ? "allow" : "mask",
    maskBanner: map.maskBanner,
    specialCharacter: map.specialCharacter,
    // `match ehlo-reply-parameter others` with `log` (not `mask`) lets other keywords through.
    ehloKeywords: keptEhloKeywords(map),
    maskOtherEhloKeywords: ehlo?.action?.kind !== "log",
    pipeliningViolation: map.maskPipeliningViolation === true ? "mask" : "log",
    maxRecipients: limit("rcpt-count", defaults.maxRecipients),
    maxSenderLength: limit("sender", defaults.maxSenderLength),
    maxHeaderLine: limit("header-line", defaults.maxHeaderLine),
    maxBodyLine: limit("body-line", defaults.maxBodyLine),
    maxMimeFilename: limit("mime-filename", defaults.maxMimeFilename),
  };
}
