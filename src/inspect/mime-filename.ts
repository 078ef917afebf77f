/**
 * Watches message content for MIME file names (`filename=` in Content-Disposition, `name=`
 * in Content-Type, RFC 2183 and RFC 2045) longer than a limit: the ASA default map drops a
 * connection whose MIME file name passes 255 octets (long names overflowed mail scanners).
 * One memmem-speed search per chunk; a name, or the word before it, split across chunks is
 * followed into the next one. Parameter names are matched in lower case, as clients write them.
 */

const NAME = Buffer.from("name=", "latin1");
/** Octets of the previous chunk kept to find "filename=" cut by a chunk boundary. */
const KEPT_OCTETS = 8;
const QUOTE = 0x22;

type NameState = "none" | "value-next" | "open";

export class MimeFilenameWatch {
  readonly #limit: number;
  #state: NameState = "none";
  #quoted = false;
  #octets = 0;
  #kept: Buffer = Buffer.alloc(0);

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** True when a file name in chunk[from, to) (with any name still open) passes the limit. */
  tooLong(chunk: Buffer, from: number, to: number): boolean {
    let at = this.#state === "none" ? this.#straddling(chunk, from, to) : from;
    for (;;) {
      if (this.#following()) {
        at = this.#follow(chunk, at, to);
        if (this.#octets > this.#limit) return true;
        if (this.#following()) break;
      }
      const found = chunk.indexOf(NAME, at);
      if (found < 0 || found + NAME.length > to) break;
      at = found + NAME.length;
      if (startsParameter(this.#before(chunk, from, found))) {
        this.#state = "value-next";
      }
    }
    this.#keep(chunk, from, to);
    return false;
  }

  /** The four characters before `at`, reaching into the kept end of the last chunk. */
  #before(chunk: Buffer, from: number, at: number): string {
    const inChunk = chunk.toString("latin1", Math.max(from, at - 4), at);
    if (at - from >= 4) return inChunk;
    return (this.#kept.toString("latin1") + inChunk).slice(-4);
  }

  #following(): boolean {
    return this.#state !== "none";
  }

  // "name=" cut by the chunk boundary: the kept end of the last chunk and this one's start.
  #straddling(chunk: Buffer, from: number, to: number): number {
    if (this.#kept.length === 0) return from;
    const head = chunk.subarray(from, Math.min(to, from + NAME.length));
    const joined = Buffer.concat([this.#kept, head]);
    const found = joined.indexOf(NAME);
    if (found < 0 || found + NAME.length <= this.#kept.length) return from;
    if (!startsParameter(joined.toString("latin1", Math.max(0, found - 4), found))) return from;
    this.#state = "value-next";
    return from + found + NAME.length - this.#kept.length;
  }

  /** Counts the open name's octets up to its end (or the chunk's); returns where it stopped. */
  #follow(chunk: Buffer, from: number, to: number): number {
    let at = from;
    if (this.#state === "value-next") {
      if (at >= to) return at;
      this.#quoted = chunk[at] === QUOTE;
      if (this.#quoted) at++;
      this.#state = "open";
      this.#octets = 0;
    }
    const start = at;
    while (at < to && !this.#ends(chunk[at] ?? 0)) at++;
    this.#octets += at - start;
    if (at < to && this.#octets <= this.#limit) this.#state = "none";
    return at;
  }

  #ends(octet: number): boolean {
    if (this.#quoted) return octet === QUOTE || octet === 0x0d || octet === 0x0a;
    return octet === 0x3b || octet === 0x20 || octet === 0x09 || octet === 0x0d || octet === 0x0a;
  }

  #keep(chunk: Buffer, from: number, to: number): void {
    const piece = chunk.subarray(Math.max(from, to - KEPT_OCTETS), to);
    const joined = Buffer.concat([this.#kept, piece]);
    this.#kept = Buffer.from(joined.subarray(Math.max(0, joined.length - KEPT_OCTETS)));
  }
}

/** `name=` as a MIME parameter: after ";" or blanks, or as the end of `filename=`. */
function startsParameter(before: string): boolean {
  if (before.toLowerCase().endsWith("file")) return true;
  const last = before.at(-1);
  return last === undefined || last === ";" || last === " " || last === "\t" || last === "\n";
}
