/**
 * Cisco "type 7" password obfuscation: two decimal digits pick a starting offset into a public
 * key, then each character is XORed with the key from there on and written as two hex digits.
 * It hides a password from a glance over the shoulder and from nothing else.
 */

const KEY = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

// IOS itself only writes offsets 0-15; it reads anything the key length allows.
const MAX_WRITTEN_OFFSET = 15;

function keyByte(offset: number, index: number): number {
  return KEY.charCodeAt((offset + index) % KEY.length);
}

/** The clear text of a type-7 string, or undefined if the string is not one. */
export function decodeType7(encoded: string): string | undefined {
  if (!/^\d{2}(?:[0-9A-Fa-f]{2})*$/.test(encoded)) return undefined;

  const offset = Number(encoded.slice(0, 2));
  if (offset >= KEY.length) return undefined;

  let text = "";
  for (let index = 0; 2 + index * 2 < encoded.length; index += 1) {
    const byte = parseInt(encoded.slice(2 + index * 2, 4 + index * 2), 16);
    text += String.fromCharCode(byte ^ keyByte(offset, index));
  }
  return text;
}

/**
 * Encodes a password. The offset is derived from the text so that the same password always
 * prints the same way, which keeps a re-rendered configuration stable.
 */
export function encodeType7(text: string, offset = defaultOffset(text)): string {
  let encoded = String(offset).padStart(2, "0");
  for (let index = 0; index < text.length; index += 1) {
    const byte = text.charCodeAt(index) ^ keyByte(offset, index);
    encoded += byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return encoded;
}

function defaultOffset(text: string): number {
  let sum = 0;
  for (let index = 0; index < text.length; index += 1) sum += text.charCodeAt(index);
  return sum % (MAX_WRITTEN_OFFSET + 1);
}
