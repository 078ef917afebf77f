/**
 * Access lists compiled into matchers for new TCP connections, with IOS semantics: the first
 * entry that matches decides, and a list ends with an implicit deny.
 */

import { renderAccessListEntry } from "../config/access-list-commands.js";
import {
  findAccessList,
  type AccessList,
  type AccessListEntry,
  type AddressMatch,
  type PortMatch,
  type RouterConfig,
} from "../config/model.js";
import { ipv4ToNumber } from "../config/values.js";

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface AclVerdict {
  readonly action: "permit" | "deny";
  /** The entry said `log` (or `log-input`): the decision is logged. */
  readonly log: boolean;
  /** The entry as written, absent for the implicit deny and for a permit-all. */
  readonly entryText?: string;
}

export type AclMatcher = (source: Endpoint, destination: Endpoint) => AclVerdict;

const IMPLICIT_DENY: AclVerdict = { action: "deny", log: false };
const PERMIT_ALL: AclVerdict = { action: "permit", log: false };

/** An address and wildcard as two 32-bit numbers; a one bit in the wildcard is "don't care". */
interface CompiledAddress {
  readonly address: number;
  readonly care: number;
}

interface CompiledEntry {
  readonly verdict: AclVerdict;
  readonly source: CompiledAddress;
  readonly destination: CompiledAddress | undefined;
  readonly sourcePort: PortMatch | undefined;
  readonly destinationPort: PortMatch | undefined;
}

function compileAddress(match: AddressMatch): CompiledAddress {
  // Wildcards may have holes (0.0.255.0 and the like), so this is bit arithmetic, not a prefix.
  const care = ~(ipv4ToNumber(match.wildcard) ?? 0xffffffff) >>> 0;
  return { address: ((ipv4ToNumber(match.address) ?? 0) & care) >>> 0, care };
}

function addressMatches(compiled: CompiledAddress, address: string): boolean {
  const value = ipv4ToNumber(address);
  if (value === undefined) return false;
  return (value & compiled.care) >>> 0 === compiled.address;
}

function portMatches(match: PortMatch | undefined, port: number): boolean {
  if (match === undefined) return true;
  const [first = 0, second = first] = match.ports;
  switch (match.operator) {
    case "eq":
      return port === first;
    case "neq":
      return port !== first;
    case "lt":
      return port < first;
    case "gt":
      return port > first;
    case "range":
      return port >= first && port <= second;
  }
}

function compileEntry(list: AccessList, entry: AccessListEntry): CompiledEntry | undefined {
  // A connection being opened is TCP: only tcp and ip entries can match it, and an
  // `established` entry matches only segments that carry ACK or RST, never the opening SYN.
  if (entry.kind === "remark" || entry.established) return undefined;
  if (entry.protocol !== "tcp" && entry.protocol !== "ip") return undefined;

  const verdict: AclVerdict = {
    action: entry.action,
    log: entry.log !== undefined,
    entryText: renderAccessListEntry(list, entry),
  };
  return {
    verdict,
    source: compileAddress(entry.source),
    destination: entry.destination === undefined ? undefined : compileAddress(entry.destination),
    sourcePort: entry.sourcePort,
    destinationPort: entry.destinationPort,
  };
}

function entryMatches(entry: CompiledEntry, source: Endpoint, destination: Endpoint): boolean {
  return (
    addressMatches(entry.source, source.address) &&
    portMatches(entry.sourcePort, source.port) &&
    (entry.destination === undefined || addressMatches(entry.destination, destination.address)) &&
    portMatches(entry.destinationPort, destination.port)
  );
}

/** A list as a matcher: first match wins, implicit deny at the end. */
export function compileAccessList(list: AccessList): AclMatcher {
  const entries = list.entries
    .map((entry) => compileEntry(list, entry))
    .filter((entry) => entry !== undefined);

  return (source, destination) =>
    entries.find((entry) => entryMatches(entry, source, destination))?.verdict ?? IMPLICIT_DENY;
}

/**
 * The matcher for an `ip access-group`: as on IOS, a group naming no list, or a list that has no
 * permit or deny entry, lets everything through.
 */
export function accessGroupMatcher(model: RouterConfig, name: string | undefined): AclMatcher {
  const list = name === undefined ? undefined : findAccessList(model, name);
  const hasRules = list?.entries.some((entry) => entry.kind === "rule") ?? false;
  if (list === undefined || !hasRules) return () => PERMIT_ALL;
  return compileAccessList(list);
}
