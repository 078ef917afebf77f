/**
 * The PROXY protocol header a load balancer puts before the client's bytes (HAProxy's
 * proxy-protocol.txt, versions 1 and 2). This is a trust boundary: the parser is strict, reads
 * at most the bounds below, and answers "incomplete" until it has seen a whole header. It is
 * pure: the caller owns the socket, the timeout and the buffer.
 */

import { isIPv4, isIPv6 } from "node:net";

import type { Endpoint } from "../log/catalogue.js";

/** proxy-protocol.txt 2.1: a v1 header is at most 107 octets, CRLF included. */
export const MAX_PROXY_V1_OCTETS = 107;

/** proxy-protocol.txt 2.2: the 16 fixed octets of a v2 header. */
export const PROXY_V2_FIXED_OCTETS = 16;

/** proxy-protocol.txt 2.2: the largest address block (AF_UNIX, two 108-octet paths). */
export const MAX_PROXY_V2_ADDRESS_OCTETS = 216;

/** Ours: TLVs after the address block; HAProxy sends a few dozen octets at most. */
export const MAX_PROXY_V2_TLV_OCTETS = 512;

export const MAX_PROXY_V2_OCTETS =
  PROXY_V2_FIXED_OCTETS + MAX_PROXY_V2_ADDRESS_OCTETS + MAX_PROXY_V2_TLV_OCTETS;

/** The most octets a header can take: a reader never needs to hold more. */
export const MAX_PROXY_HEADER_OCTETS = MAX_PROXY_V2_OCTETS;

export const PROXY_V2_SIGNATURE = Buffer.from("\r\n\r\n\0\r\nQUIT\n", "latin1");
const V1_PREFIX = Buffer.from("PROXY ", "latin1");

/** What a header says: the real client and the address it connected to, or nothing (LOCAL). */
export interface ProxyHeader {
  readonly version: 1 | 2;
  /** "local": a health check or UNKNOWN; the connection's own addresses stand. */
  readonly command: "proxy" | "local";
  readonly source?: Endpoint;
  readonly destination?: Endpoint;
  /** Octets the header took; the client's own bytes start there. */
  readonly length: number;
}

export type ProxyParseResult =
  | { readonly kind: "incomplete" }
  | { readonly kind: "header"; readonly header: ProxyHeader }
  | { readonly kind: "invalid"; readonly reason: string };

const INCOMPLETE: ProxyParseResult = { kind: "incomplete" };

function invalid(reason: string): ProxyParseResult {
  return { kind: "invalid", reason };
}

/** Parses the start of a connection's bytes; call again with more bytes while incomplete. */
export function parseProxyHeader(bytes: Buffer): ProxyParseResult {
  if (startsLike(bytes, PROXY_V2_SIGNATURE)) {
    return bytes.length < PROXY_V2_FIXED_OCTETS ? INCOMPLETE : parseV2(bytes);
  }
  if (startsLike(bytes, V1_PREFIX)) return parseV1(bytes);
  return invalid("no PROXY signature");
}

/** True when what is there so far agrees with the start of `signature`. */
function startsLike(bytes: Buffer, signature: Buffer): boolean {
  const length = Math.min(bytes.length, signature.length);
  return bytes.subarray(0, length).equals(signature.subarray(0, length));
}

// proxy-protocol.txt 2.1: "PROXY" SP ("TCP4" | "TCP6") SP src SP dst SP sport SP dport CRLF,
// or "PROXY UNKNOWN" followed by anything up to CRLF.
function parseV1(bytes: Buffer): ProxyParseResult {
  const window = bytes.subarray(0, MAX_PROXY_V1_OCTETS);
  const lineFeed = window.indexOf(0x0a);
  if (lineFeed === -1) {
    return bytes.length >= MAX_PROXY_V1_OCTETS ? invalid("v1 header too long") : INCOMPLETE;
  }
  if (lineFeed === 0 || window[lineFeed - 1] !== 0x0d) return invalid("v1 header without CRLF");

  const line = window.toString("latin1", 0, lineFeed - 1);
  const length = lineFeed + 1;
  const words = line.split(" ");
  if (words[1] === "UNKNOWN")
    return { kind: "header", header: { version: 1, command: "local", length } };
  if (words.length !== 6) return invalid("v1 header has the wrong number of fields");

  const [, family, sourceAddress, destinationAddress, sourcePort, destinationPort] = words;
  const isAddress = family === "TCP4" ? isIPv4 : family === "TCP6" ? isIPv6 : undefined;
  if (isAddress === undefined) return invalid("v1 header names an unknown protocol");
  if (!isAddress(sourceAddress ?? "") || !isAddress(destinationAddress ?? "")) {
    return invalid("v1 header has an invalid address");
  }
  const ports = [v1Port(sourcePort), v1Port(destinationPort)];
  if (ports[0] === undefined || ports[1] === undefined)
    return invalid("v1 header has an invalid port");

  const header: ProxyHeader = {
    version: 1,
    command: "proxy",
    source: { address: sourceAddress ?? "", port: ports[0] },
    destination: { address: destinationAddress ?? "", port: ports[1] },
    length,
  };
  return { kind: "header", header };
}

// proxy-protocol.txt 2.1: ports in decimal, 0 to 65535, no leading zeros.
function v1Port(text: string | undefined): number | undefined {
  if (text === undefined || !/^(?:0|[1-9]\d{0,4})$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65_535 ? port : undefined;
}

// proxy-protocol.txt 2.2: address families and their address block sizes.
const FAMILY_UNSPEC = 0x0;
const FAMILY_INET = 0x1;
const FAMILY_INET6 = 0x2;
const TRANSPORT_STREAM = 0x1;
const COMMAND_LOCAL = 0x0;
const COMMAND_PROXY = 0x1;
const INET_BLOCK_OCTETS = 12;
const INET6_BLOCK_OCTETS = 36;

function parseV2(bytes: Buffer): ProxyParseResult {
  const versionCommand = bytes.readUInt8(12);
  if (versionCommand >> 4 !== 2) return invalid("v2 header has an unknown version");
  const command = versionCommand & 0x0f;
  if (command !== COMMAND_LOCAL && command !== COMMAND_PROXY) {
    return invalid("v2 header has an unknown command");
  }

  const payload = bytes.readUInt16BE(14);
  const length = PROXY_V2_FIXED_OCTETS + payload;
  if (length > MAX_PROXY_V2_OCTETS) return invalid("v2 header too long");
  if (bytes.length < length) return INCOMPLETE;

  const family = bytes.readUInt8(13);
  const block = bytes.subarray(PROXY_V2_FIXED_OCTETS, length);
  if (command === COMMAND_LOCAL) {
    return { kind: "header", header: { version: 2, command: "local", length } };
  }
  return v2Addresses(family, block, length);
}

function v2Addresses(family: number, block: Buffer, length: number): ProxyParseResult {
  const addressFamily = family >> 4;
  if (addressFamily === FAMILY_UNSPEC) {
    return { kind: "header", header: { version: 2, command: "local", length } };
  }
  if ((family & 0x0f) !== TRANSPORT_STREAM) return invalid("v2 header is not for a stream");
  if (addressFamily !== FAMILY_INET && addressFamily !== FAMILY_INET6) {
    return invalid("v2 header has an unsupported address family");
  }

  const blockOctets = addressFamily === FAMILY_INET ? INET_BLOCK_OCTETS : INET6_BLOCK_OCTETS;
  if (block.length < blockOctets) return invalid("v2 address block too short");
  if (!tlvsWellFormed(block.subarray(blockOctets))) return invalid("v2 header has a broken TLV");

  const addressOctets = (blockOctets - 4) / 2;
  const read = addressFamily === FAMILY_INET ? ipv4Text : ipv6Text;
  const header: ProxyHeader = {
    version: 2,
    command: "proxy",
    source: {
      address: read(block.subarray(0, addressOctets)),
      port: block.readUInt16BE(2 * addressOctets),
    },
    destination: {
      address: read(block.subarray(addressOctets, 2 * addressOctets)),
      port: block.readUInt16BE(2 * addressOctets + 2),
    },
    length,
  };
  return { kind: "header", header };
}

// proxy-protocol.txt 2.2.7: each TLV is a type octet, a 16-bit length and that many octets;
// together they must fill the rest of the header exactly.
function tlvsWellFormed(tlvs: Buffer): boolean {
  let offset = 0;
  while (offset < tlvs.length) {
    if (tlvs.length - offset < 3) return false;
    offset += 3 + tlvs.readUInt16BE(offset + 1);
  }
  return offset === tlvs.length;
}

function ipv4Text(octets: Buffer): string {
  return [...octets].join(".");
}

function ipv6Text(octets: Buffer): string {
  const groups: string[] = [];
  for (let offset = 0; offset < 16; offset += 2) {
    groups.push(octets.readUInt16BE(offset).toString(16));
  }
  // The compressed form, so that it reads as the socket API writes addresses.
  return new URL(`http://[${groups.join(":")}]`).hostname.slice(1, -1);
}
