/**
 * Access lists: numbered (`access-list N ...`) and named (`ip access-list extended NAME` and its
 * sub-mode), standard and extended, with remarks and the `no` forms.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import {
  findAccessList,
  type AccessList,
  type AccessListEntry,
  type AddressMatch,
  type PortMatch,
} from "./model.js";
import { CommandFailure, type Cursor } from "./tokens.js";
import { ipv4ToNumber, numberToIpv4, portText, readAddress, readPort } from "./values.js";

const ANY: AddressMatch = { address: "0.0.0.0", wildcard: "255.255.255.255" };
const IP_PROTOCOLS = [
  "ip",
  "tcp",
  "udp",
  "icmp",
  "igmp",
  "gre",
  "esp",
  "ahp",
  "eigrp",
  "ospf",
  "pim",
  "ipinip",
  "nos",
  "pcp",
] as const;
const PORT_OPERATORS = ["eq", "neq", "lt", "gt", "range"] as const;

/** The kind of a numbered list, from IOS's number ranges; undefined if the number is not one. */
export function numberedListKind(number: number): AccessList["kind"] | undefined {
  if ((number >= 1 && number <= 99) || (number >= 1300 && number <= 1999)) return "standard";
  if ((number >= 100 && number <= 199) || (number >= 2000 && number <= 2699)) return "extended";
  return undefined;
}

export function accessListCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const numberAt = cursor.index;
  const name = cursor.word();
  const kind = /^\d+$/.test(name) ? numberedListKind(Number(name)) : undefined;
  if (kind === undefined) throw new CommandFailure("invalid", numberAt);

  const entry = readEntry(cursor, kind);
  listFor(context, name, true, kind).entries.push(entry);
  return { slot: "access-list" };
}

export function noAccessListCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const name = cursor.word();
  // As on IOS, `no access-list N ...` removes the whole list whatever follows the number.
  while (!cursor.done) cursor.word();
  removeList(context, name);
  return { slot: "access-list" };
}

/** `ip access-list standard|extended NAME`: enters the named list's sub-mode. */
export function ipAccessListCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const kind = cursor.keyword(["standard", "extended"]);
  const name = cursor.word();
  cursor.end();

  const list = listFor(context, name, /^\d+$/.test(name), kind);
  return { slot: "named-acl", enter: { kind: "acl", target: list } };
}

export function noIpAccessListCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  cursor.keyword(["standard", "extended"]);
  const name = cursor.word();
  cursor.end();
  removeList(context, name);
  return { slot: "named-acl" };
}

/** A line inside `ip access-list NAME`: an entry, a remark, or `no` and the entry to remove. */
export function aclModeCommand(cursor: Cursor, list: AccessList): void {
  const negated = cursor.optionalKeyword(["no"]) !== undefined;
  // IOS 12.3 accepts a sequence number in front of an entry; it is not kept.
  if (/^\d+$/.test(cursor.peek() ?? "")) cursor.integer(1, 2_147_483_647, "Sequence number");

  const entry = readEntry(cursor, list.kind);
  if (!negated) {
    list.entries.push(entry);
    return;
  }
  const text = renderAccessListEntry(list, entry);
  list.entries = list.entries.filter((other) => renderAccessListEntry(list, other) !== text);
}

function listFor(
  context: CommandContext,
  name: string,
  numbered: boolean,
  kind: AccessList["kind"],
): AccessList {
  const existing = findAccessList(context.model, name);
  if (existing !== undefined) return existing;

  const list: AccessList = { name, numbered, kind, entries: [] };
  context.model.accessLists.push(list);
  return list;
}

function removeList(context: CommandContext, name: string): void {
  const lists = context.model.accessLists;
  const index = lists.findIndex((list) => list.name === name);
  if (index >= 0) lists.splice(index, 1);
}

function readEntry(cursor: Cursor, kind: AccessList["kind"]): AccessListEntry {
  const action = cursor.keyword(["permit", "deny", "remark"]);
  if (action === "remark") return { kind: "remark", text: cursor.rest() };

  return kind === "standard" ? readStandard(cursor, action) : readExtended(cursor, action);
}

function readStandard(cursor: Cursor, action: "permit" | "deny"): AccessListEntry {
  const source = readAddressMatch(cursor, true);
  const log = cursor.optionalKeyword(["log"]);
  cursor.end();
  return {
    kind: "rule",
    action,
    protocol: "ip",
    source,
    sourcePort: undefined,
    destination: undefined,
    destinationPort: undefined,
    established: false,
    log,
  };
}

function readExtended(cursor: Cursor, action: "permit" | "deny"): AccessListEntry {
  const protocol = readProtocol(cursor);
  const withPorts = protocol === "tcp" || protocol === "udp";
  const source = readAddressMatch(cursor, false);
  const sourcePort = withPorts ? readPortMatch(cursor, protocol) : undefined;
  const destination = readAddressMatch(cursor, false);
  const destinationPort = withPorts ? readPortMatch(cursor, protocol) : undefined;
  const established = protocol === "tcp" && cursor.optionalKeyword(["established"]) !== undefined;
  const log = cursor.optionalKeyword(["log", "log-input"]);
  cursor.end();

  return {
    kind: "rule",
    action,
    protocol,
    source,
    sourcePort,
    destination,
    destinationPort,
    established,
    log,
  };
}

function readProtocol(cursor: Cursor): string {
  if (/^\d+$/.test(cursor.peek() ?? "")) return String(cursor.integer(0, 255, "Protocol"));
  return cursor.keyword(IP_PROTOCOLS);
}

/** `any`, `host A`, or `A WILDCARD` (a standard list also takes a bare address for a host). */
function readAddressMatch(cursor: Cursor, standard: boolean): AddressMatch {
  const form = cursor.optionalKeyword(["any", "host"]);
  if (form === "any") return ANY;
  if (form === "host") return { address: readAddress(cursor), wildcard: "0.0.0.0" };

  const address = readAddress(cursor);
  const next = cursor.peek();
  const wildcard =
    standard && (next === undefined || ipv4ToNumber(next) === undefined)
      ? "0.0.0.0"
      : readAddress(cursor);
  // IOS clears the address bits that the wildcard ignores, and prints it that way.
  const bits = (ipv4ToNumber(address) ?? 0) & ~(ipv4ToNumber(wildcard) ?? 0);
  return { address: numberToIpv4(bits >>> 0), wildcard };
}

function readPortMatch(cursor: Cursor, protocol: string): PortMatch | undefined {
  const operator = cursor.optionalKeyword(PORT_OPERATORS);
  if (operator === undefined) return undefined;

  const first = readPort(cursor, protocol);
  if (operator !== "range") return { operator, ports: [first] };

  const last = readPort(cursor, protocol);
  if (last < first) cursor.refuse("% The range must run from low to high.");
  return { operator, ports: [first, last] };
}

function addressText(match: AddressMatch, standard: boolean): string {
  if (match.wildcard === "255.255.255.255") return "any";
  if (match.wildcard === "0.0.0.0") return standard ? match.address : `host ${match.address}`;
  return `${match.address} ${match.wildcard}`;
}

function portMatchText(match: PortMatch | undefined, protocol: string): string[] {
  if (match === undefined) return [];
  return [match.operator, ...match.ports.map((port) => portText(port, protocol))];
}

/** An entry as IOS prints it after `access-list N ` or under a named list. */
export function renderAccessListEntry(list: AccessList, entry: AccessListEntry): string {
  if (entry.kind === "remark") return `remark ${entry.text}`;

  const standard = list.kind === "standard";
  const words: string[] = [entry.action];
  if (!standard) words.push(entry.protocol);
  words.push(addressText(entry.source, standard));
  words.push(...portMatchText(entry.sourcePort, entry.protocol));
  if (entry.destination !== undefined) words.push(addressText(entry.destination, standard));
  words.push(...portMatchText(entry.destinationPort, entry.protocol));
  if (entry.established) words.push("established");
  if (entry.log !== undefined) words.push(entry.log);
  return words.join(" ");
}

export function renderAccessList(list: AccessList): string[] {
  if (list.numbered) {
    return list.entries.map(
      (entry) => `access-list ${list.name} ${renderAccessListEntry(list, entry)}`,
    );
  }
  const header = `ip access-list ${list.kind} ${list.name}`;
  return [header, ...list.entries.map((entry) => ` ${renderAccessListEntry(list, entry)}`)];
}
