/**
 * Helpers that make a free-text argument safe for an operator message: one line, printable
 * ASCII, bounded, and never a secret.
 */

const ELLIPSIS = "…";

/** Cuts `text` to `max` characters and says how many were left off: `text…(+N)`. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}${ELLIPSIS}(+${text.length - max})`;
}

/**
 * Escapes everything outside printable ASCII, because a CR or LF from a peer would forge a log
 * line of its own, and syslog receivers differ on 8-bit text.
 */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/gu, escapeCharacter);
}

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u{${hex}}`;
}

/** `printable`, then `cut`: the usual treatment of an argument that came from outside. */
export function argument(text: string, max: number): string {
  return cut(printable(text), max);
}

// Keywords after which an IOS line carries a credential or a shared key.
const SECRET_KEYWORD = /\b(password|secret|key|community)\b.*$/iu;

/** Hides whatever follows a credential keyword, so a configuration line can be quoted. */
export function maskSecrets(line: string): string {
  return line.replace(SECRET_KEYWORD, "$1 <removed>");
}

/** The longest prefix of `text` within `maxOctets` of UTF-8 that does not split a character. */
export function limitOctets(text: string, maxOctets: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxOctets) return text;

  // Back off over continuation bytes (10xxxxxx) to the start of the character that was cut.
  let end = maxOctets;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8");
}
