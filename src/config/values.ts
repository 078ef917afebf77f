/**
 * Values that appear inside commands: IPv4 addresses, masks, wildcards, port numbers and the
 * port names IOS accepts in their place.
 */

import { CommandFailure, matchKeyword, type Cursor } from "./tokens.js";

const MAX_PORT = 65_535;

/** Parses a dotted quad into its unsigned 32-bit value, or undefined. */
export function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;

  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => String((value >>> shift) & 0xff)).join(".");
}

/** A mask is contiguous when its one bits all come before its zero bits. */
export function isContiguousMask(mask: number): boolean {
  const inverted = ~mask >>> 0;
  return (inverted & (inverted + 1)) === 0;
}

export function prefixLength(mask: number): number {
  let bits = 0;
  for (let bit = 31; bit >= 0 && (mask >>> bit) & 1; bit -= 1) bits += 1;
  return bits;
}

/** Whether an address lies in the subnet of an interface address and its mask. */
export function inSubnet(address: string, network: string, mask: string): boolean {
  const a = ipv4ToNumber(address);
  const n = ipv4ToNumber(network);
  const m = ipv4ToNumber(mask);
  if (a === undefined || n === undefined || m === undefined) return false;
  return (a & m) >>> 0 === (n & m) >>> 0;
}

/** Reads a dotted-quad address, normalised (no leading zeros). */
export function readAddress(cursor: Cursor): string {
  const at = cursor.index;
  const value = ipv4ToNumber(cursor.word());
  if (value === undefined) throw new CommandFailure("invalid", at);
  return numberToIpv4(value);
}

/** Reads a subnet mask; IOS refuses masks with holes in them. */
export function readMask(cursor: Cursor): string {
  const mask = readAddress(cursor);
  if (!isContiguousMask(ipv4ToNumber(mask) ?? 0)) {
    cursor.refuse(`% Bad mask ${mask}: the one bits must be contiguous.`);
  }
  return mask;
}

const TCP_PORT_NAMES: Readonly<Record<string, number>> = {
  bgp: 179,
  chargen: 19,
  cmd: 514,
  daytime: 13,
  discard: 9,
  domain: 53,
  echo: 7,
  exec: 512,
  finger: 79,
  ftp: 21,
  "ftp-data": 20,
  gopher: 70,
  hostname: 101,
  ident: 113,
  irc: 194,
  klogin: 543,
  kshell: 544,
  login: 513,
  lpd: 515,
  nntp: 119,
  pop2: 109,
  pop3: 110,
  smtp: 25,
  sunrpc: 111,
  tacacs: 49,
  talk: 517,
  telnet: 23,
  time: 37,
  uucp: 540,
  whois: 43,
  www: 80,
};

const UDP_PORT_NAMES: Readonly<Record<string, number>> = {
  biff: 512,
  bootpc: 68,
  bootps: 67,
  discard: 9,
  dnsix: 195,
  domain: 53,
  echo: 7,
  isakmp: 500,
  "mobile-ip": 434,
  nameserver: 42,
  "netbios-dgm": 138,
  "netbios-ns": 137,
  "netbios-ss": 139,
  ntp: 123,
  rip: 520,
  snmp: 161,
  snmptrap: 162,
  sunrpc: 111,
  syslog: 514,
  tacacs: 49,
  talk: 517,
  tftp: 69,
  time: 37,
  who: 513,
  xdmcp: 177,
};

function portNames(protocol: string): Readonly<Record<string, number>> {
  return protocol === "udp" ? UDP_PORT_NAMES : TCP_PORT_NAMES;
}

/** Reads a port by number or by its IOS name (smtp is 25, www is 80 ...). */
export function readPort(cursor: Cursor, protocol = "tcp"): number {
  const at = cursor.index;
  const word = cursor.word();
  if (/^\d+$/.test(word)) {
    const port = Number(word);
    if (port < 1 || port > MAX_PORT) cursor.refuse(`% Port ${word} is out of range 1-${MAX_PORT}.`);
    return port;
  }

  const names = portNames(protocol);
  const name = matchKeyword(word, Object.keys(names));
  if (name === "ambiguous") throw new CommandFailure("ambiguous", at);
  const port = name === undefined ? undefined : names[name];
  if (port === undefined) throw new CommandFailure("invalid", at);
  return port;
}

/** The name IOS prints for a well-known port, or the number. */
export function portText(port: number, protocol = "tcp"): string {
  const names = portNames(protocol);
  const name = Object.keys(names).find((key) => names[key] === port);
  return name ?? String(port);
}
