import { TranscriptError } from "../errors.js";

/**
 * The transcript format of SPEC section 10: one stream segment per line, `C: ` or `S: `
 * followed by text that is sent with CRLF appended, or `C+ ` / `S+ ` followed by base64 of
 * exact bytes; `#` starts a comment. Order in the file is order on the wire.
 */

export type Direction = "client" | "server";

export interface Segment {
  readonly from: Direction;
  readonly bytes: Buffer;
  /** The transcript line it came from (1-based). */
  readonly line: number;
}

const CRLF = Buffer.from("\r\n");
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseTranscript(text: string): Segment[] {
  const segments: Segment[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "" || line.startsWith("#")) return;
    segments.push(parseSegment(line, index + 1));
  });
  return segments;
}

function parseSegment(line: string, number: number): Segment {
  const from = directionOf(line[0]);
  if (from === undefined) {
    throw new TranscriptError(number, "expected a line starting with C:, S:, C+ or S+");
  }
  const marker = line.slice(1, 3);
  if (marker === ": " || line.slice(1) === ":") {
    const text = Buffer.from(line.slice(3), "latin1");
    return { from, bytes: Buffer.concat([text, CRLF]), line: number };
  }
  if (marker === "+ ") {
    const encoded = line.slice(3).trim();
    if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
      throw new TranscriptError(number, "the bytes after C+ or S+ are not base64");
    }
    return { from, bytes: Buffer.from(encoded, "base64"), line: number };
  }
  throw new TranscriptError(number, `expected ": " or "+ " after ${line[0] ?? ""}`);
}

function directionOf(letter: string | undefined): Direction | undefined {
  if (letter === "C") return "client";
  if (letter === "S") return "server";
  return undefined;
}

/**
 * Writes bytes in the same format: `C: ` lines while the bytes are CRLF-ended lines of
 * printable text, else one `C+ ` line of base64 for the whole of them.
 */
export function formatSegment(from: Direction, bytes: Buffer): string[] {
  const letter = from === "client" ? "C" : "S";
  const text = bytes.toString("latin1");
  if (isPrintableLines(text)) {
    return text
      .slice(0, -2)
      .split("\r\n")
      .map((line) => `${letter}: ${line}`);
  }
  return [`${letter}+ ${bytes.toString("base64")}`];
}

function isPrintableLines(text: string): boolean {
  if (!text.endsWith("\r\n")) return false;
  // Printable ASCII and tab only, each line ended by CRLF and nothing else.
  return /^(?:[\t\x20-\x7e]*\r\n)+$/.test(text);
}
