/**
 * IOS "type 5" secrets: the MD5-crypt scheme of FreeBSD (`$1$salt$hash`), which IOS uses for
 * `enable secret`. Written here because Node has no crypt(3).
 */

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const MAGIC = "$1$";
const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// IOS writes four salt characters; crypt(3) reads up to eight.
const IOS_SALT_LENGTH = 4;
const MAX_SALT_LENGTH = 8;
const ROUNDS = 1000;

function md5(...parts: (Uint8Array | string)[]): Buffer {
  const hash = createHash("md5");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function md5Crypt(password: string, salt: string): string {
  const secret = Buffer.from(password, "utf8");
  const saltText = salt.slice(0, MAX_SALT_LENGTH);
  const alternate = md5(secret, saltText, secret);

  const first = createHash("md5").update(secret).update(MAGIC).update(saltText);
  for (let left = secret.length; left > 0; left -= 16) {
    first.update(alternate.subarray(0, Math.min(16, left)));
  }
  // The scheme's quirk: one byte per bit of the length, a NUL for a set bit.
  for (let bits = secret.length; bits > 0; bits >>= 1) {
    first.update(bits & 1 ? Buffer.alloc(1) : secret.subarray(0, 1));
  }

  let digest: Buffer = first.digest();
  for (let round = 0; round < ROUNDS; round += 1) {
    digest = md5(
      round & 1 ? secret : digest,
      round % 3 ? saltText : "",
      round % 7 ? secret : "",
      round & 1 ? digest : secret,
    );
  }
  return `${MAGIC}${saltText}$${encodeDigest(digest)}`;
}

// crypt(3)'s byte order for the 22 characters of the hash.
const GROUPS = [
  [0, 6, 12],
  [1, 7, 13],
  [2, 8, 14],
  [3, 9, 15],
  [4, 10, 5],
] as const;

function encodeDigest(digest: Buffer): string {
  let text = "";
  for (const [a, b, c] of GROUPS) {
    text += toBase64(
      (digest.readUInt8(a) << 16) | (digest.readUInt8(b) << 8) | digest.readUInt8(c),
      4,
    );
  }
  return text + toBase64(digest.readUInt8(11), 2);
}

function toBase64(value: number, characters: number): string {
  let text = "";
  for (let index = 0; index < characters; index += 1) {
    text += ALPHABET.charAt((value >> (6 * index)) & 0x3f);
  }
  return text;
}

/** Hashes a clear-text secret with a fresh salt, as `enable secret TEXT` does. */
export function hashSecret(password: string): string {
  const salt = [...randomBytes(IOS_SALT_LENGTH)]
    .map((byte) => ALPHABET.charAt(byte & 0x3f))
    .join("");
  return md5Crypt(password, salt);
}

export function isType5Hash(text: string): boolean {
  return /^\$1\$[./0-9A-Za-z]{0,8}\$[./0-9A-Za-z]{22}$/.test(text);
}

/** Whether a candidate password matches a stored type-5 hash. */
export function verifySecret(hash: string, candidate: string): boolean {
  const salt = hash.slice(MAGIC.length, hash.indexOf("$", MAGIC.length));
  const expected = Buffer.from(hash);
  const actual = Buffer.from(md5Crypt(candidate, salt));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
