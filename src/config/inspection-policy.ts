/**
 * What a rule means once defaults and global settings are applied: the values `show ip inspect`
 * prints and the policy object the inspector is given.
 */

import { DEFAULT_MAX_DATA, type InspectionPolicy } from "../inspect/policy.js";
import { findInspectRule, type InspectProtocolEntry, type RouterConfig } from "./model.js";

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
  return { protocol, maxData: entry.maxData ?? DEFAULT_MAX_DATA };
}
