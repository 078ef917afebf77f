/**
 * The PROXY protocol header the gateway writes toward the mail server before any other byte,
 * so that the server sees the real client (HAProxy's proxy-protocol.txt, versions 1 and 2).
 */

import { isIPv4 } from "node:net";

import type { Endpoint } from "../log/catalogue.js";
import { PROXY_V2_FIXED_OCTETS, PROXY_V2_SIGNATURE } from "./proxy-header-parser.js";

export type ProxyVersion = "v1" | "v2";

// proxy-protocol.txt 2.2: version 2 with the PROXY command; INET or INET6 over a stream.
const V2_PROXY_COMMAND = 0x21;
const V2_INET_STREAM = 0x11;
const V2_INET6_STREAM = 0x21;

export function encodeProxyHeader(
  version: ProxyVersion,
  source: Endpoint,
  destination: Endpoint,
): Buffer {
  const [from, to] = sameFamily(source, destination);
  return version === "v1" ? encodeV1(from, to) : encodeV2(from, to);
}

function encodeV1(source: Endpoint, destination: Endpoint): Buffer {
  const family = isIPv4(source.address) ? "TCP4" : "TCP6";
  const line =
    `PROXY ${family} ${source.address} ${destination.address} ` +
    `${source.port} ${destination.port}\r\n`;
  return Buffer.from(line, "latin1");
}

function encodeV2(source: Endpoint, destination: Endpoint): Buffer {
  const inet = isIPv4(source.address);
  const addresses = inet
    ? [ipv4Octets(source.address), ipv4Octets(destination.address)]
    : [ipv6Octets(source.address), ipv6Octets(destination.address)];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(source.port, 0);
  ports.writeUInt16BE(destination.port, 2);

  const block = Buffer.concat([...addresses, ports]);
  const fixed = Buffer.alloc(PROXY_V2_FIXED_OCTETS);
  PROXY_V2_SIGNATURE.copy(fixed);
  fixed.writeUInt8(V2_PROXY_COMMAND, 12);
  fixed.writeUInt8(inet ? V2_INET_STREAM : V2_INET6_STREAM, 13);
  fixed.writeUInt16BE(block.length, 14);
  return Buffer.concat([fixed, block]);
}

/**
 * Both ends in one family, as a header must have them: an IPv4-mapped IPv6 address (a dual-stack
 * socket's view of an IPv4 peer) becomes IPv4, and a mixed pair goes to IPv6.
 */
function sameFamily(source: Endpoint, destination: Endpoint): [Endpoint, Endpoint] {
  const from = unmapped(source);
  const to = unmapped(destination);
  if (isIPv4(from.address) === isIPv4(to.address)) return [from, to];
  return [mapped(from), mapped(to)];
}

function unmapped(endpoint: Endpoint): Endpoint {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(endpoint.address);
  return match?.[1] === undefined ? endpoint : { address: match[1], port: endpoint.port };
}

function mapped(endpoint: Endpoint): Endpoint {
  if (!isIPv4(endpoint.address)) return endpoint;
  return { address: `::ffff:${endpoint.address}`, port: endpoint.port };
}

function ipv4Octets(address: string): Buffer {
  return Buffer.from(address.split(".").map(Number));
}

function ipv6Octets(address: string): Buffer {
  const octets = Buffer.alloc(16);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  const text = tail === undefined ? address : address.replace(tail, ipv4AsGroups(tail));
  const [head = "", rest] = text.split("::");
  const front = head === "" ? [] : head.split(":");
  const back = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups = [...front, ...Array<string>(8 - front.length - back.length).fill("0"), ...back];
  groups.forEach((group, index) => {
    octets.writeUInt16BE(parseInt(group, 16), index * 2);
  });
  return octets;
}

function ipv4AsGroups(address: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}
