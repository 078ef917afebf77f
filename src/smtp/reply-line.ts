import { CR, HYPHEN, LF, SP } from "./bytes.js";

/** One line of a server reply (RFC 5321 4.2): `NNN-text` goes on, `NNN text` or `NNN` ends. */
export interface ReplyLine {
  /** The reply code, or 0 when the line has none. */
  readonly code: number;
  /** True on the last line of a reply. */
  readonly final: boolean;
  readonly valid: boolean;
}

const INVALID: ReplyLine = { code: 0, final: true, valid: false };

/**
 * Reads the code and separator of a reply line. RFC 5321 4.2 (Reply-code ABNF): the first
 * digit is 2 to 5, the second 0 to 5, the third 0 to 9.
 */
export function parseReplyLine(line: Uint8Array, start: number, end: number): ReplyLine {
  if (end - start < 3) return INVALID;
  const first = (line[start] ?? 0) - 0x30;
  const second = (line[start + 1] ?? 0) - 0x30;
  const third = (line[start + 2] ?? 0) - 0x30;
  if (first < 2 || first > 5 || second < 0 || second > 5 || third < 0 || third > 9) {
    return INVALID;
  }
  const code = first * 100 + second * 10 + third;
  const separator = start + 3 < end ? (line[start + 3] ?? 0) : CR;
  if (separator === HYPHEN) return { code, final: false, valid: true };
  if (separator === SP || separator === CR || separator === LF) {
    return { code, final: true, valid: true };
  }
  return INVALID;
}
