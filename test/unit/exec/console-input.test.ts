import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { BoundedLineWriter, MAX_PENDING_CONSOLE_OCTETS } from "../../../src/exec/bounded-output.js";
import { decodeFrame, decodeRequest, FrameReader } from "../../../src/exec/control-protocol.js";
import {
  IAC,
  MAX_VTY_LINE_OCTETS,
  TelnetLineReader,
  type VtyInputLine,
} from "../../../src/exec/telnet-input.js";

/** Time the split property may take. */
const PROPERTY_BUDGET_MS = 2_000;

function readLines(chunks: readonly Buffer[]): VtyInputLine[] {
  const lines: VtyInputLine[] = [];
  const reader = new TelnetLineReader((line) => lines.push(line));
  for (const chunk of chunks) reader.feed(chunk);
  return lines;
}

function byteByByte(bytes: Buffer): Buffer[] {
  return [...bytes].map((byte) => Buffer.from([byte]));
}

// A telnet client's opening: DO SGA, WILL TTYPE, a terminal-type subnegotiation with IAC IAC.
const NEGOTIATION = Buffer.from([
  IAC,
  0xfd,
  0x03,
  IAC,
  0xfb,
  0x18,
  IAC,
  0xfa,
  0x18,
  0x00,
  0x76,
  IAC,
  IAC,
  0x74,
  IAC,
  0xf0,
]);
const SESSION = Buffer.concat([
  NEGOTIATION,
  Buffer.from("cisco123\r\nsh ip insp all\r\0enable\nsecrxy\x08\x7fet\rx\r\n"),
]);
const EXPECTED = ["cisco123", "sh ip insp all", "enable", "secret", "x"];

describe("vty input", () => {
  it("drops telnet negotiation and reads every kind of line end", () => {
    assert.deepEqual(
      readLines([SESSION]).map((line) => line.text),
      EXPECTED,
    );
  });

  it("reads the same lines fed one byte at a time", () => {
    assert.deepEqual(
      readLines(byteByByte(SESSION)).map((line) => line.text),
      EXPECTED,
    );
  });

  it("reads the same lines however the stream is split", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(SESSION.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const point of [...points, SESSION.length]) {
          chunks.push(SESSION.subarray(from, point));
          from = point;
        }
        assert.deepEqual(
          readLines(chunks).map((line) => line.text),
          EXPECTED,
        );
      }),
      { plugins: [fc.interruptAfterTimeLimit(PROPERTY_BUDGET_MS)] },
    );
  });

  it("keeps IAC IAC as a data byte and cuts an overlong line at its bound", () => {
    const [line] = readLines([Buffer.from([0x61, IAC, IAC, 0x0a])]);
    assert.equal(line?.text, "a\ufffd", "a lone 0xFF is no UTF-8: the replacement character");
    const [long] = readLines([Buffer.from(`${"y".repeat(MAX_VTY_LINE_OCTETS + 10)}\n`)]);
    assert.deepEqual(long, { text: "y".repeat(MAX_VTY_LINE_OCTETS), overflow: true });
  });
});

describe("control protocol", () => {
  it("frames lines however the bytes arrive, and refuses one past the bound", () => {
    const frames: string[] = [];
    let overflows = 0;
    const reader = new FrameReader(
      16,
      (text) => frames.push(text),
      () => (overflows += 1),
    );
    for (const chunk of byteByByte(Buffer.from('{"a":1}\n{"b":2}\n'))) reader.feed(chunk);
    assert.deepEqual(frames, ['{"a":1}', '{"b":2}']);
    reader.feed(Buffer.from("x".repeat(17)));
    assert.equal(overflows, 1);
  });

  it("decodes requests and replies, and nothing malformed", () => {
    assert.deepEqual(decodeRequest('{"command":"show version"}'), { command: "show version" });
    assert.equal(decodeRequest('{"command":7}'), undefined);
    assert.equal(decodeRequest("show version"), undefined);
    assert.deepEqual(decodeFrame('{"type":"line","text":"x"}'), { type: "line", text: "x" });
    assert.equal(decodeFrame('{"type":"reply","status":"maybe","text":""}'), undefined);
  });
});

describe("bounded debug output", () => {
  it("drops lines while the console is behind, then says how many it missed", () => {
    const written: string[] = [];
    let pending = 0;
    const writer = new BoundedLineWriter(
      { write: (text) => written.push(text), pendingOctets: () => pending },
      (line) => `${line}\n`,
    );
    writer.line("one");
    pending = MAX_PENDING_CONSOLE_OCTETS + 1;
    writer.line("two");
    writer.line("three");
    pending = 0;
    writer.line("four");
    assert.deepEqual(written, ["one\n", "% 2 debug lines dropped: console too slow\n", "four\n"]);
  });
});
