import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { decodeType7, encodeType7 } from "../../../src/config/type7.js";
import { md5Crypt, verifySecret } from "../../../src/config/secret5.js";

describe("type 7 passwords", () => {
  it("decodes the two strings of the source's running-config", () => {
    assert.equal(decodeType7("02050D4808095E731F"), "cisco123");
    assert.equal(decodeType7("121A0C0411045D5679"), "cisco123");
  });

  it("encodes back to the same string when given the same offset", () => {
    assert.equal(encodeType7("cisco123", 2), "02050D4808095E731F");
    assert.equal(encodeType7("cisco123", 12), "121A0C0411045D5679");
  });

  it("is stable: one password always encodes the same way", () => {
    assert.equal(encodeType7("secret"), encodeType7("secret"));
  });

  it("refuses strings that are not type 7", () => {
    assert.equal(decodeType7("0"), undefined);
    assert.equal(decodeType7("99ABCD"), undefined);
    assert.equal(decodeType7("02XYZ1"), undefined);
    assert.equal(decodeType7("02050"), undefined);
  });

  it("round-trips any printable password at any offset", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
        }),
        fc.integer({ min: 0, max: 52 }),
        (text, offset) => decodeType7(encodeType7(text, offset)) === text,
      ),
    );
  });
});

describe("type 5 secrets", () => {
  it("matches crypt(3)'s MD5 scheme (checked against openssl passwd -1)", () => {
    assert.equal(md5Crypt("cisco", "abcd"), "$1$abcd$2hDGYdE0UrwK2pqoiF6BB1");
    assert.equal(md5Crypt("a longer password here", "mERr"), "$1$mERr$j8Xwb1Cd4FM3bwUVC8u8x1");
  });

  it("verifies a candidate against a hash", () => {
    assert.equal(verifySecret("$1$abcd$2hDGYdE0UrwK2pqoiF6BB1", "cisco"), true);
    assert.equal(verifySecret("$1$abcd$2hDGYdE0UrwK2pqoiF6BB1", "Cisco"), false);
  });
});
