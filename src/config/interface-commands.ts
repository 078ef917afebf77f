/**
 * `interface NAME` and the lines under it that matter to a gateway: the address (whose subnet
 * decides which interface a listener belongs to), shutdown, and the inspection rule and access
 * list bound to each direction.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import { createInterface, type InterfaceConfig, type InterfaceSlot } from "./model.js";
import { CommandFailure, type Cursor } from "./tokens.js";
import { ipv4ToNumber, prefixLength, readAddress, readMask } from "./values.js";

// In IOS's order of preference when an abbreviation fits several ("e" is Ethernet).
const INTERFACE_TYPES = [
  "Ethernet",
  "FastEthernet",
  "GigabitEthernet",
  "Serial",
  "Loopback",
  "Tunnel",
  "Dialer",
  "Vlan",
  "BRI",
  "ATM",
  "Async",
  "Virtual-Template",
  "Port-channel",
  "Null",
] as const;

const DIRECTIONS = ["in", "out"] as const;

/** Expands `e2/0`, `Eth 2/0` or `ethernet2/0` to IOS's `Ethernet2/0`. */
function readInterfaceName(cursor: Cursor): string {
  const at = cursor.index;
  const first = cursor.word();
  const split = /^([A-Za-z-]+)(\d.*)?$/.exec(first);
  if (split === null) throw new CommandFailure("invalid", at);

  const typed = split[1] ?? "";
  const type =
    INTERFACE_TYPES.find((known) => known.toLowerCase() === typed.toLowerCase()) ??
    INTERFACE_TYPES.find((known) => known.toLowerCase().startsWith(typed.toLowerCase()));
  if (type === undefined) throw new CommandFailure("invalid", at);

  const unit = split[2] ?? cursor.word();
  if (!/^\d+(?:\/\d+)*(?:\.\d+)?$/.test(unit))
    throw new CommandFailure("invalid", cursor.index - 1);
  return `${type}${unit}`;
}

export function interfaceCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const name = readInterfaceName(cursor);
  cursor.end();

  const interfaces = context.model.interfaces;
  let target = interfaces.find((candidate) => candidate.name === name);
  if (target === undefined) {
    target = createInterface(name);
    interfaces.push(target);
  }
  return { slot: "interfaces", enter: { kind: "interface", target } };
}

/** A line under `interface`; answers where it is printed, for the inert lines that follow it. */
export function interfaceModeCommand(cursor: Cursor, target: InterfaceConfig): InterfaceSlot {
  const negated = cursor.optionalKeyword(["no"]) !== undefined;
  const first = cursor.keyword(["ip", "shutdown"]);
  if (first === "shutdown") {
    cursor.end();
    target.shutdown = !negated;
    return "shutdown";
  }

  const what = cursor.keyword(["address", "access-group", "inspect", "proxy-protocol"]);
  if (what === "proxy-protocol") {
    setProxyTrusted(cursor, target, negated);
    return "inspect";
  }
  if (what === "address") setAddress(cursor, target, negated);
  else if (what === "access-group") setAccessGroup(cursor, target, negated);
  else setInspect(cursor, target, negated);
  return what;
}

function setAddress(cursor: Cursor, target: InterfaceConfig, negated: boolean): void {
  if (negated) {
    while (!cursor.done) cursor.word();
    target.address = undefined;
    return;
  }

  const address = readAddress(cursor);
  const mask = readMask(cursor);
  cursor.end();
  checkHostAddress(cursor, address, mask);
  target.address = { address, mask };
}

/** IOS refuses the network and broadcast addresses of a subnet as an interface address. */
function checkHostAddress(cursor: Cursor, address: string, mask: string): void {
  const value = ipv4ToNumber(address) ?? 0;
  const maskValue = ipv4ToNumber(mask) ?? 0;
  const length = prefixLength(maskValue);
  if (length >= 31 || length === 0) return;

  const host = (value & ~maskValue) >>> 0;
  if (host === 0 || host === ~maskValue >>> 0) {
    cursor.refuse(`% Bad mask /${length} for address ${address}`, cursor.index - 2);
  }
}

function setAccessGroup(cursor: Cursor, target: InterfaceConfig, negated: boolean): void {
  // The name may be left out of the no form; a list may be called IN, so count the words.
  const list = cursor.remaining >= 2 ? cursor.word() : "";
  const direction = cursor.keyword(DIRECTIONS);
  cursor.end();
  if (!negated && list === "") throw new CommandFailure("incomplete", cursor.index);

  const value = negated ? undefined : list;
  if (direction === "in") target.accessGroupIn = value;
  else target.accessGroupOut = value;
}

function setInspect(cursor: Cursor, target: InterfaceConfig, negated: boolean): void {
  const rule = cursor.remaining >= 2 ? cursor.word() : "";
  const direction = cursor.keyword(DIRECTIONS);
  cursor.end();
  if (!negated && rule === "") throw new CommandFailure("incomplete", cursor.index);

  // IOS: one rule per direction; a new one replaces the old.
  const value = negated ? undefined : rule;
  if (direction === "in") target.inspectIn = value;
  else target.inspectOut = value;
}

/** Ours: `ip proxy-protocol trusted LIST`, the load balancers whose PROXY header is read. */
function setProxyTrusted(cursor: Cursor, target: InterfaceConfig, negated: boolean): void {
  cursor.keyword(["trusted"]);
  const list = negated && cursor.done ? undefined : cursor.word();
  cursor.end();
  if (negated) delete target.proxyTrusted;
  else if (list !== undefined) target.proxyTrusted = list;
}

/** The lines of an interface that carry an effect, each with the slot it occupies. */
export function interfaceLines(target: InterfaceConfig): [InterfaceSlot, string][] {
  const lines: [InterfaceSlot, string][] = [];
  const address = target.address;
  lines.push([
    "address",
    address === undefined ? "no ip address" : `ip address ${address.address} ${address.mask}`,
  ]);
  if (target.accessGroupIn !== undefined) {
    lines.push(["access-group", `ip access-group ${target.accessGroupIn} in`]);
  }
  if (target.accessGroupOut !== undefined) {
    lines.push(["access-group", `ip access-group ${target.accessGroupOut} out`]);
  }
  if (target.inspectIn !== undefined) lines.push(["inspect", `ip inspect ${target.inspectIn} in`]);
  if (target.inspectOut !== undefined) {
    lines.push(["inspect", `ip inspect ${target.inspectOut} out`]);
  }
  if (target.proxyTrusted !== undefined) {
    lines.push(["inspect", `ip proxy-protocol trusted ${target.proxyTrusted}`]);
  }
  if (target.shutdown) lines.push(["shutdown", "shutdown"]);
  return lines;
}
