import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { cut, limitOctets, maskSecrets, printable } from "../../../src/log/arguments.js";
import { parseSeverity, passesLevel, severityName } from "../../../src/log/severity.js";

describe("cut", () => {
  it("leaves a short text alone", () => {
    assert.equal(cut("EXPN", 16), "EXPN");
    assert.equal(cut("x".repeat(16), 16), "x".repeat(16));
  });

  it("says how much it left off", () => {
    assert.equal(cut("abcdefghij", 4), "abcd…(+6)");
  });
});

describe("printable", () => {
  it("escapes controls and non-ASCII", () => {
    assert.equal(printable("a\r\nb\x00é😀"), "a\\x0D\\x0Ab\\x00\\xE9\\u{1F600}");
  });
});

describe("limitOctets", () => {
  it("never splits a UTF-8 character", () => {
    assert.equal(limitOctets("aé", 2), "a");
    assert.equal(limitOctets("aé", 3), "aé");
    assert.equal(limitOctets("😀😀", 7), "😀");
  });
});

describe("maskSecrets", () => {
  it("hides whatever follows a credential keyword", () => {
    assert.equal(maskSecrets("snmp-server community public RO"), "snmp-server community <removed>");
    assert.equal(maskSecrets("ip cef"), "ip cef");
  });
});

describe("severities", () => {
  it("read IOS names and numbers", () => {
    assert.equal(parseSeverity("informational"), 6);
    assert.equal(parseSeverity("Warnings"), 4);
    assert.equal(parseSeverity("0"), 0);
    assert.equal(parseSeverity("8"), undefined);
    assert.equal(parseSeverity("loud"), undefined);
    assert.equal(severityName(7), "debugging");
  });

  it("pass a level and everything more severe", () => {
    assert.ok(passesLevel(6, 6));
    assert.ok(passesLevel(2, 6));
    assert.ok(!passesLevel(7, 6));
  });
});
