/**
 * Static NAT (`ip nat inside source static ...`), which names the address clients connect to and
 * the server behind it, and `ip port-map`, which says on which ports SMTP is spoken.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import type { PortMapEntry, ProxyProtocolVersion, StaticNat } from "./model.js";
import type { Cursor } from "./tokens.js";
import { readAddress, readPort } from "./values.js";

/** `ip nat inside source static ...`; other `ip nat` forms are left to the inert table. */
export function ipNatCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const entry = readStaticNat(cursor);
  const nats = context.model.staticNats;
  const same = nats.findIndex((other) => sameTranslation(other, entry));
  if (same >= 0) nats[same] = entry;
  else nats.push(entry);
  return { slot: "nat" };
}

export function noIpNatCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const entry = readStaticNat(cursor);
  const nats = context.model.staticNats;
  context.model.staticNats = nats.filter((other) => !sameTranslation(other, entry));
  return { slot: "nat" };
}

function readStaticNat(cursor: Cursor): StaticNat {
  cursor.keyword(["inside"]);
  cursor.keyword(["source"]);
  cursor.keyword(["static"]);
  const protocol = cursor.optionalKeyword(["tcp", "udp"]);

  if (protocol === undefined) {
    const local = readAddress(cursor);
    const global = readAddress(cursor);
    return { kind: "host", local, global, ...readOptions(cursor) };
  }

  const local = readAddress(cursor);
  const localPort = readPort(cursor, protocol);
  const global = readAddress(cursor);
  const globalPort = readPort(cursor, protocol);
  return { kind: "port", protocol, local, localPort, global, globalPort, ...readOptions(cursor) };
}

/**
 * `[extendable]`, then ours: `[proxy-protocol v1|v2]`, the header written to the server, or
 * `[xclient]`, Postfix's XCLIENT command after the server's greeting.
 */
function readOptions(cursor: Cursor): {
  extendable: boolean;
  proxyProtocol?: ProxyProtocolVersion;
  xclient?: boolean;
} {
  const extendable = cursor.optionalKeyword(["extendable"]) !== undefined;
  const identity = cursor.optionalKeyword(["proxy-protocol", "xclient"]);
  if (identity === "xclient") {
    cursor.end();
    return { extendable, xclient: true };
  }
  if (identity === undefined) {
    cursor.end();
    return { extendable };
  }
  const proxyProtocol = cursor.keyword(["v1", "v2"]);
  cursor.end();
  return { extendable, proxyProtocol };
}

/** Two entries are the same translation when they map the same global endpoint. */
function sameTranslation(a: StaticNat, b: StaticNat): boolean {
  if (a.kind === "host" && b.kind === "host") return a.global === b.global;
  if (a.kind === "port" && b.kind === "port") {
    return a.protocol === b.protocol && a.global === b.global && a.globalPort === b.globalPort;
  }
  return false;
}

export function renderStaticNat(entry: StaticNat): string {
  const proxy =
    entry.proxyProtocol !== undefined
      ? ` proxy-protocol ${entry.proxyProtocol}`
      : entry.xclient === true
        ? " xclient"
        : "";
  const tail = `${entry.extendable ? " extendable" : ""}${proxy}`;
  if (entry.kind === "host") {
    return `ip nat inside source static ${entry.local} ${entry.global}${tail}`;
  }
  return (
    `ip nat inside source static ${entry.protocol} ${entry.local} ${entry.localPort} ` +
    `${entry.global} ${entry.globalPort}${tail}`
  );
}

/** `ip port-map APP port [tcp|udp] N [N ...]`: one entry per port. */
export function ipPortMapCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const entries = readPortMap(cursor);
  for (const entry of entries) {
    const exists = context.model.portMaps.some((other) => samePortMap(other, entry));
    if (!exists) context.model.portMaps.push(entry);
  }
  return { slot: "port-map" };
}

export function noIpPortMapCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const entries = readPortMap(cursor);
  context.model.portMaps = context.model.portMaps.filter(
    (other) => !entries.some((entry) => samePortMap(other, entry)),
  );
  return { slot: "port-map" };
}

function readPortMap(cursor: Cursor): PortMapEntry[] {
  const application = cursor.word().toLowerCase();
  cursor.keyword(["port"]);
  cursor.optionalKeyword(["tcp"]);

  const ports = [cursor.integer(1, 65_535, "Port")];
  while (!cursor.done) ports.push(cursor.integer(1, 65_535, "Port"));
  return ports.map((port) => ({ application, port }));
}

function samePortMap(a: PortMapEntry, b: PortMapEntry): boolean {
  return a.application === b.application && a.port === b.port;
}

export function renderPortMap(entry: PortMapEntry): string {
  return `ip port-map ${entry.application} port ${entry.port}`;
}

/** The ports on which SMTP is spoken: 25 and every `ip port-map smtp` port. */
export function smtpPorts(portMaps: readonly PortMapEntry[]): number[] {
  const mapped = portMaps.filter((entry) => entry.application === "smtp").map((e) => e.port);
  return [...new Set([25, ...mapped])];
}
