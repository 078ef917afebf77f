import { CR, LF, X } from "../smtp/bytes.js";

/**
 * The MailGuard rewrite: every octet of a command line before its line end becomes "X"
 * (0x58), so the length is kept and the server answers the line with an error.
 */
export function maskLine(line: Buffer, start: number, end: number): Buffer {
  const masked = Buffer.alloc(end - start, X);
  const terminator = lineEndLength(line, start, end);
  if (terminator === 2) masked[masked.length - 2] = CR;
  if (terminator > 0) masked[masked.length - 1] = LF;
  return masked;
}

/** 2 for CRLF, 1 for a bare LF, 0 for no line end. */
export function lineEndLength(line: Uint8Array, start: number, end: number): number {
  if (end <= start || line[end - 1] !== LF) return 0;
  return end - 2 >= start && line[end - 2] === CR ? 2 : 1;
}
