/**
 * The configuration parts of `show ip inspect`: `config`, `interfaces`, `name NAME`, and `all`
 * (which appends the session listing it is given). Formats of REFERENCE.md section 3 and the
 * source's verification output (SPEC section 9).
 */

import { effectiveSettings } from "../config/inspection-policy.js";
import { thresholdText } from "../config/inspect-commands.js";
import {
  findInspectRule,
  type InspectRule,
  type InterfaceConfig,
  type RouterConfig,
  type Thresholds,
} from "../config/model.js";

const RULE_LINE_INDENT = "    ";

function lines(text: readonly string[]): string {
  return text.map((line) => `${line}\n`).join("");
}

// The legacy (12.3) layout prints thresholds as [low:high], without spaces.
function thresholds(value: Thresholds): string {
  return `[${thresholdText(value.low)}:${thresholdText(value.high)}]`;
}

function hostLimitText(limit: number): string {
  return Number.isFinite(limit) ? String(limit) : "unlimited";
}

function globalLines(model: RouterConfig): string[] {
  const globals = model.inspect;
  return [
    `Session audit trail is ${globals.auditTrail ? "enabled" : "disabled"}`,
    `Session alert is ${globals.alertOff ? "disabled" : "enabled"}`,
    `one-minute (sampling period) thresholds are ${thresholds(globals.oneMinute)} connections`,
    `max-incomplete sessions thresholds are ${thresholds(globals.maxIncomplete)}`,
    `max-incomplete tcp connections per host is ${hostLimitText(globals.hostMaxIncomplete)}. ` +
      `Block-time ${globals.hostBlockTime} minute.`,
    `tcp synwait-time is ${globals.tcpSynwaitTime} sec -- tcp finwait-time is ${globals.tcpFinwaitTime} sec`,
    `tcp idle-time is ${globals.tcpIdleTime} sec -- udp idle-time is ${globals.udpIdleTime} sec`,
    `dns-timeout is ${globals.dnsTimeout} sec`,
  ];
}

/** One line per protocol of a rule, as both `config` and `interfaces` print it. */
function ruleProtocolLines(model: RouterConfig, rule: InspectRule): string[] {
  return rule.protocols.map((entry) => {
    const settings = effectiveSettings(model, entry);
    const maxData = settings.maxData === undefined ? "" : `max-data ${settings.maxData} `;
    return (
      `${RULE_LINE_INDENT}${settings.protocol} ${maxData}alert is ${onOff(settings.alert)} ` +
      `audit-trail is ${onOff(settings.auditTrail)} timeout ${settings.timeout}`
    );
  });
}

function onOff(value: boolean): string {
  return value ? "on" : "off";
}

function ruleBlock(model: RouterConfig, rule: InspectRule): string[] {
  return [` Inspection name ${rule.name}`, ...ruleProtocolLines(model, rule)];
}

export function showInspectConfig(model: RouterConfig): string {
  const rules = model.inspectRules.flatMap((rule) => ruleBlock(model, rule));
  return lines([...globalLines(model), "Inspection Rule Configuration", ...rules]);
}

/** `show ip inspect name NAME`: the rule's block, or nothing for a rule that does not exist. */
export function showInspectName(model: RouterConfig, name: string): string {
  const rule = findInspectRule(model, name);
  return rule === undefined ? "" : lines(ruleBlock(model, rule));
}

/**
 * The interfaces with an inspection rule bound. IOS keeps them newest first, so a configuration
 * read top to bottom lists its last such interface first (Ethernet2/1 before Ethernet2/0 in the
 * source's output).
 */
function inspectedInterfaces(model: RouterConfig): InterfaceConfig[] {
  return model.interfaces
    .filter((target) => target.inspectIn !== undefined || target.inspectOut !== undefined)
    .reverse();
}

function boundRuleLines(
  model: RouterConfig,
  label: string,
  ruleName: string | undefined,
): string[] {
  if (ruleName === undefined) return [`  ${label} inspection rule is not set`];

  const rule = findInspectRule(model, ruleName);
  const protocols = rule === undefined ? [] : ruleProtocolLines(model, rule);
  return [`  ${label} inspection rule is ${ruleName}`, ...protocols];
}

function interfaceBlock(model: RouterConfig, target: InterfaceConfig): string[] {
  return [
    ` Interface ${target.name}`,
    ...boundRuleLines(model, "Inbound", target.inspectIn),
    ...boundRuleLines(model, "Outgoing", target.inspectOut),
    `  Inbound access list is ${target.accessGroupIn ?? "not set"}`,
    `  Outgoing access list is ${target.accessGroupOut ?? "not set"}`,
  ];
}

export function showInspectInterfaces(model: RouterConfig): string {
  const blocks = inspectedInterfaces(model).flatMap((target) => interfaceBlock(model, target));
  return lines(["Interface Configuration", ...blocks]);
}

/** `config`, a blank line, `interfaces`, then the session listing the caller renders. */
export function showInspectAll(model: RouterConfig, sessionsText = ""): string {
  return `${showInspectConfig(model)}\n${showInspectInterfaces(model)}${sessionsText}`;
}
