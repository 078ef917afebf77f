import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { readVerb } from "../../../src/smtp/command-line.js";
import { DataScanner, type ScanOutcome } from "../../../src/smtp/data-scanner.js";
import { parseReplyLine } from "../../../src/smtp/reply-line.js";
import { byteByByte, cutsAt, whole, type Splitter } from "../../helpers/conversation.js";

interface ScanResult {
  /** Offset of the end of data (after its LF) or of the look-alike, in the whole content. */
  readonly kind: "more" | "end" | "smuggling";
  readonly offset: number;
  readonly variant?: string;
}

/** Feeds the pieces to one scanner and reports where, in the whole content, it stopped. */
function scanPieces(pieces: Buffer[]): ScanResult {
  const scanner = new DataScanner();
  let base = 0;
  for (const piece of pieces) {
    const outcome: ScanOutcome = scanner.scan(piece, 0);
    if (outcome.kind === "end") return { kind: "end", offset: base + outcome.index };
    if (outcome.kind === "smuggling") {
      return { kind: "smuggling", offset: base + outcome.index, variant: outcome.variant };
    }
    base += piece.length;
  }
  return { kind: "more", offset: base };
}

function scan(text: string, split: Splitter): ScanResult {
  return scanPieces(split(Buffer.from(text, "latin1")));
}

describe("DataScanner", () => {
  const cases: [string, ScanResult][] = [
    ["hello\r\n.\r\n", { kind: "end", offset: 10 }],
    [".\r\n", { kind: "end", offset: 3 }],
    ["..\r\n.x\r\n.\r\nafter", { kind: "end", offset: 11 }],
    ["a\r\r\n.\r\n", { kind: "end", offset: 7 }],
    ["a\n.\nb", { kind: "smuggling", offset: 3, variant: "LF.LF" }],
    ["a\r\n.\nb", { kind: "smuggling", offset: 4, variant: "CRLF.LF" }],
    ["a\r.\rb", { kind: "smuggling", offset: 3, variant: "CR.CR" }],
    ["a\r\n\x00.\r\n", { kind: "smuggling", offset: 5, variant: "NUL.CR" }],
    ["no end yet\r\n", { kind: "more", offset: 12 }],
  ];
  for (const [text, expected] of cases) {
    it(`scans ${JSON.stringify(text)} the same whole and byte by byte`, () => {
      const got = scan(text, whole);
      assert.deepEqual({ ...got }, { ...expected });
      assert.deepEqual(scan(text, byteByByte), got);
    });
  }

  it("finds the same outcome in any random split", () => {
    const alphabet = fc.constantFrom("a", "\r", "\n", ".", "\x00", "\r\n", "\r\n.\r\n", "x y");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.array(fc.nat()), (parts, cuts) => {
        const text = parts.join("");
        assert.deepEqual(scan(text, cutsAt(cuts)), scan(text, whole));
        assert.deepEqual(scan(text, byteByByte), scan(text, whole));
      }),
      { plugins: [fc.interruptAfterTimeLimit(2_000)], numRuns: 50_000 },
    );
  });

  it("holds back at most the dot and its CR", () => {
    const scanner = new DataScanner();
    assert.deepEqual(scanner.scan(Buffer.from("a\r\n."), 0), { kind: "more", undecided: 1 });
    assert.deepEqual(scanner.scan(Buffer.from("\r"), 0), { kind: "more", undecided: 2 });
    assert.deepEqual(scanner.scan(Buffer.from("\n"), 0), { kind: "end", index: 1 });
  });
});

describe("reply lines", () => {
  const cases: [string, { code: number; final: boolean; valid: boolean }][] = [
    ["250 ok\r\n", { code: 250, final: true, valid: true }],
    ["250-PIPELINING\r\n", { code: 250, final: false, valid: true }],
    ["250\r\n", { code: 250, final: true, valid: true }],
    ["250\n", { code: 250, final: true, valid: true }],
    ["354 go\r\n", { code: 354, final: true, valid: true }],
    ["4.7.0 deferred\r\n", { code: 0, final: true, valid: false }],
    ["199 no\r\n", { code: 0, final: true, valid: false }],
    ["260 no\r\n", { code: 0, final: true, valid: false }],
    ["25\r\n", { code: 0, final: true, valid: false }],
    ["250x\r\n", { code: 0, final: true, valid: false }],
  ];
  for (const [line, expected] of cases) {
    it(`reads ${JSON.stringify(line)}`, () => {
      const bytes = Buffer.from(line);
      assert.deepEqual({ ...parseReplyLine(bytes, 0, bytes.length) }, expected);
    });
  }
});

describe("verbs", () => {
  const cases: [string, string][] = [
    ["mail FROM:<a@b>", "MAIL"],
    ["  \tEhLo x", "EHLO"],
    ["DATA", "DATA"],
    ["", ""],
    ["MAIL\x0bFROM", "MAIL\x0bFROM"],
    ["X".repeat(40), "X".repeat(17)],
  ];
  for (const [line, verb] of cases) {
    it(`reads the verb of ${JSON.stringify(line.slice(0, 20))}`, () => {
      const bytes = Buffer.from(line, "latin1");
      assert.equal(readVerb(bytes, 0, bytes.length), verb);
    });
  }
});
