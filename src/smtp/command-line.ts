import { CR, HT, LF, SP } from "./bytes.js";
import { MAX_VERB_OCTETS } from "./limits.js";

/**
 * Reads the verb of a command line the way common servers do (Postfix splits on white space
 * and skips leading blanks): the first run of octets that are not SP, HT, CR or LF.
 * Returns the verb upper-cased, "" when there is none, or the raw token cut to
 * MAX_VERB_OCTETS when it is too long or not ASCII letters (so it can never match a verb).
 */
export function readVerb(line: Uint8Array, start: number, end: number): string {
  let from = start;
  while (from < end && isBlank(line[from] ?? 0)) from++;
  let to = from;
  while (to < end && !isDelimiter(line[to] ?? 0)) to++;
  return verbText(line, from, Math.min(to, from + MAX_VERB_OCTETS + 1));
}

/** The octets after the verb and its blanks, as latin1 text, for tracing only. */
export function readParameters(line: Uint8Array, start: number, end: number): string {
  let at = start;
  while (at < end && isBlank(line[at] ?? 0)) at++;
  while (at < end && !isDelimiter(line[at] ?? 0)) at++;
  while (at < end && isBlank(line[at] ?? 0)) at++;
  return Buffer.from(line.buffer, line.byteOffset + at, end - at).toString("latin1");
}

function verbText(line: Uint8Array, from: number, to: number): string {
  let text = "";
  for (let at = from; at < to; at++) {
    const octet = line[at] ?? 0;
    // Only ASCII letters fold to upper case; anything else stays and can never match.
    text += String.fromCharCode(octet >= 0x61 && octet <= 0x7a ? octet - 0x20 : octet);
  }
  return text;
}

function isBlank(octet: number): boolean {
  return octet === SP || octet === HT;
}

function isDelimiter(octet: number): boolean {
  return octet === SP || octet === HT || octet === CR || octet === LF;
}

/** A printable rendering of a verb for logs: non-printable octets become "?". */
export function printableVerb(verb: string): string {
  return verb.replace(/[^\x21-\x7e]/g, "?");
}
