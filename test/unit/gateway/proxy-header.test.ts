import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";
import {
  Command,
  INETProtocol,
  IPv4Address,
  IPv4ProxyAddress,
  IPv6Address,
  IPv6ProxyAddress,
  Peer,
  TransportProtocol,
  V1ProxyProtocol,
  V2ProxyProtocol,
} from "proxy-protocol-js";

import { encodeProxyHeader } from "../../../src/gateway/proxy-header-encoder.js";
import {
  MAX_PROXY_HEADER_OCTETS,
  MAX_PROXY_V1_OCTETS,
  MAX_PROXY_V2_OCTETS,
  parseProxyHeader,
  PROXY_V2_SIGNATURE,
  type ProxyParseResult,
} from "../../../src/gateway/proxy-header-parser.js";

const FUZZ_BUDGET_MS = 400;

const client = { address: "192.0.2.7", port: 40_001 };
const listener = { address: "198.51.100.25", port: 25 };

function header(result: ProxyParseResult): Extract<ProxyParseResult, { kind: "header" }>["header"] {
  assert.equal(result.kind, "header", JSON.stringify(result));
  return result.header;
}

/** Feeds a header one more octet at a time: incomplete until the last one, never invalid. */
function parseByteByByte(bytes: Buffer): ProxyParseResult {
  for (let end = 1; end < bytes.length; end++) {
    const partial = parseProxyHeader(bytes.subarray(0, end));
    if (partial.kind !== "incomplete") return partial;
  }
  return parseProxyHeader(bytes);
}

describe("PROXY header encoder and parser", () => {
  it("round-trips v1 and v2, IPv4 and IPv6, with the client's bytes after the header", () => {
    const v6 = { address: "2001:db8::7", port: 5 };
    const v6Listener = { address: "2001:db8::25", port: 2525 };
    for (const version of ["v1", "v2"] as const) {
      for (const [source, destination] of [
        [client, listener],
        [v6, v6Listener],
      ] as const) {
        const bytes = encodeProxyHeader(version, source, destination);
        const parsed = header(parseByteByByte(Buffer.concat([bytes, Buffer.from("EHLO x\r\n")])));
        assert.deepEqual(parsed.source, source);
        assert.deepEqual(parsed.destination, destination);
        assert.equal(parsed.length, bytes.length);
      }
    }
  });

  it("writes IPv4-mapped addresses as IPv4 and a mixed pair as IPv6", () => {
    const mapped = { address: "::ffff:192.0.2.7", port: 1 };
    assert.equal(
      encodeProxyHeader("v1", mapped, listener).toString("latin1"),
      "PROXY TCP4 192.0.2.7 198.51.100.25 1 25\r\n",
    );
    const mixed = header(
      parseProxyHeader(encodeProxyHeader("v2", client, { address: "::1", port: 25 })),
    );
    assert.deepEqual(mixed.source, { address: "::ffff:c000:207", port: 40_001 });
  });

  it("reads UNKNOWN and LOCAL as 'use the connection's own addresses'", () => {
    const unknown = header(parseProxyHeader(Buffer.from("PROXY UNKNOWN whatever\r\nEHLO")));
    assert.equal(unknown.command, "local");
    const local = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
    assert.equal(header(parseProxyHeader(local)).command, "local");
  });

  it("refuses what a strict reader must refuse", () => {
    const refused = [
      "EHLO client.example\r\n",
      "PROXY TCP4 192.0.2.7 198.51.100.25 40001 25\n",
      "PROXY TCP4 192.0.2.7 198.51.100.25 040001 25\r\n",
      "PROXY TCP4 192.0.2.7 198.51.100.25 65536 25\r\n",
      "PROXY TCP4 999.0.2.1 198.51.100.25 1 25\r\n",
      "PROXY TCP4 2001:db8::1 198.51.100.25 1 25\r\n",
      "PROXY TCP4  192.0.2.7 198.51.100.25 1 25\r\n",
      "PROXY UDP4 192.0.2.7 198.51.100.25 1 25\r\n",
      `PROXY UNKNOWN ${"x".repeat(MAX_PROXY_V1_OCTETS)}\r\n`,
    ];
    for (const text of refused) {
      assert.equal(parseProxyHeader(Buffer.from(text, "latin1")).kind, "invalid", text);
    }
  });

  it("refuses v2 headers past the bound, of another version, or with broken TLVs", () => {
    const good = encodeProxyHeader("v2", client, listener);
    const withVersion = Buffer.from(good);
    withVersion[12] = 0x11;
    assert.equal(parseProxyHeader(withVersion).kind, "invalid");

    const tooLong = Buffer.from(good);
    tooLong.writeUInt16BE(MAX_PROXY_V2_OCTETS, 14);
    assert.equal(parseProxyHeader(tooLong).kind, "invalid");

    const brokenTlv = Buffer.concat([good, Buffer.from([0x04, 0x00, 0x09, 0x00])]);
    brokenTlv.writeUInt16BE(12 + 4, 14);
    assert.equal(parseProxyHeader(brokenTlv).kind, "invalid");

    const withTlv = Buffer.concat([good, Buffer.from([0x04, 0x00, 0x01, 0x00])]);
    withTlv.writeUInt16BE(12 + 4, 14);
    assert.equal(header(parseProxyHeader(withTlv)).length, withTlv.length);
  });

  it("agrees with proxy-protocol-js on the headers it builds", () => {
    const v1 = new V1ProxyProtocol(
      INETProtocol.TCP4,
      new Peer("192.0.2.7", 40_001),
      new Peer("198.51.100.25", 25),
    ).build();
    assert.deepEqual(header(parseProxyHeader(Buffer.from(v1, "latin1"))).source, client);

    const v2 = new V2ProxyProtocol(
      Command.PROXY,
      TransportProtocol.STREAM,
      new IPv4ProxyAddress(
        IPv4Address.createFrom([192, 0, 2, 7]),
        40_001,
        IPv4Address.createFrom([198, 51, 100, 25]),
        25,
      ),
    ).build();
    assert.deepEqual(header(parseProxyHeader(Buffer.from(v2))).destination, listener);
  });

  it("writes headers proxy-protocol-js reads back", () => {
    const v1 = V1ProxyProtocol.parse(encodeProxyHeader("v1", client, listener).toString("latin1"));
    assert.equal(v1.source.ipAddress, client.address);
    assert.equal(v1.destination.port, listener.port);

    const v6 = { address: "2001:db8::7", port: 5 };
    const v2 = V2ProxyProtocol.parse(encodeProxyHeader("v2", v6, { address: "::1", port: 25 }));
    assert.ok(v2.proxyAddress instanceof IPv6ProxyAddress);
    assert.equal(v2.proxyAddress.sourcePort, 5);
    assert.ok(v2.proxyAddress.sourceAddress instanceof IPv6Address);
  });

  it("never throws, never reads past its bound, and is stable under segmentation (fuzz)", () => {
    const prefixes = fc.constantFrom(
      Buffer.alloc(0),
      Buffer.from("PROXY "),
      Buffer.from("PROXY TCP4 "),
      PROXY_V2_SIGNATURE,
      Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x21, 0x11])]),
    );
    fc.assert(
      fc.property(prefixes, fc.uint8Array({ maxLength: 600 }), (prefix, tail) => {
        const bytes = Buffer.concat([prefix, tail]);
        const whole = parseProxyHeader(bytes);
        if (whole.kind === "header") {
          assert.ok(whole.header.length <= MAX_PROXY_HEADER_OCTETS);
          assert.deepEqual(parseByteByByte(bytes), whole);
        }
        if (bytes.length >= MAX_PROXY_HEADER_OCTETS) assert.notEqual(whole.kind, "incomplete");
      }),
      { numRuns: 100_000, plugins: [fc.interruptAfterTimeLimit(FUZZ_BUDGET_MS)] },
    );
  });

  it("parses every header it writes (property)", () => {
    const endpoint = fc.record({
      address: fc.oneof(fc.ipV4(), fc.ipV6()),
      port: fc.integer({ min: 0, max: 65_535 }),
    });
    fc.assert(
      fc.property(fc.constantFrom("v1", "v2"), endpoint, endpoint, (version, from, to) => {
        const bytes = encodeProxyHeader(version, from, to);
        const parsed = header(parseProxyHeader(bytes));
        assert.equal(parsed.length, bytes.length);
        assert.equal(parsed.source?.port, from.port);
      }),
      { numRuns: 100_000, plugins: [fc.interruptAfterTimeLimit(FUZZ_BUDGET_MS)] },
    );
  });
});
