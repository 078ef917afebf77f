import { CR, DOT, LF, NUL } from "./bytes.js";

/**
 * Scans DATA content (RFC 5321 4.1.1.4 and 4.5.2) for its end, CRLF "." CRLF, and for the
 * end-of-data look-alikes that split mail servers disagree on (SMTP smuggling): a line made
 * of a dot with a bare CR or bare LF on either side, or a dot after a NUL at a line start.
 *
 * The scanner copies nothing. It is fed chunks and says where the content ends, where a
 * look-alike starts, or how many octets at the end of the chunk are still undecided (a dot
 * at a line start, say) and must be held back until the next octet arrives.
 */

/** Where the scanner stands; named after the octets just seen. */
type ScanState =
  | "text" // inside a line
  | "cr" // a CR inside a line: CRLF or a bare CR
  | "line-start" // after CRLF, or at the start of the content
  | "loose-line-start" // after a bare LF or a bare CR
  | "nul" // a NUL at a line start
  | "dot" // a dot after CRLF: the end, dot-stuffing, or a look-alike
  | "dot-cr" // CRLF "." CR: the end if LF follows
  | "loose-dot"; // a dot after a bare line end or a NUL

export type ScanOutcome =
  | { readonly kind: "more"; readonly undecided: number }
  | { readonly kind: "end"; readonly index: number }
  | { readonly kind: "smuggling"; readonly index: number; readonly variant: string };

export interface ContentAnomalies {
  bareLf: boolean;
  bareCr: boolean;
  /** A header line (before the first empty line) or a body line went past its limit. */
  longHeaderLine: boolean;
  longBodyLine: boolean;
}

/** Line lengths past which a message's lines are flagged, CRLF excluded (RFC 5322 2.1.1: 998). */
export interface LineLimits {
  readonly header: number;
  readonly body: number;
}

const NO_LIMITS: LineLimits = { header: Infinity, body: Infinity };

export class DataScanner {
  #state: ScanState = "line-start";
  /** How the current line started, for naming a look-alike: "CRLF", "LF", "CR" or "NUL". */
  #lineStart = "CRLF";
  #undecided = 0;
  #limits: LineLimits = NO_LIMITS;
  #lineOctets = 0;
  #inHeaders = true;
  readonly anomalies: ContentAnomalies = {
    bareLf: false,
    bareCr: false,
    longHeaderLine: false,
    longBodyLine: false,
  };

  /** Starts a new message: the DATA command's own CRLF is the first line start. */
  reset(limits: LineLimits = NO_LIMITS): void {
    this.#state = "line-start";
    this.#lineStart = "CRLF";
    this.#undecided = 0;
    this.#limits = limits;
    this.#lineOctets = 0;
    this.#inHeaders = true;
    this.anomalies.longHeaderLine = false;
    this.anomalies.longBodyLine = false;
  }

  /** Octets at the end of the last chunk that belong to a possible end-of-data sequence. */
  get undecided(): number {
    return this.#undecided;
  }

  scan(chunk: Buffer, from: number): ScanOutcome {
    // Inside a line only CR and LF matter, so jump to the next of them (memchr speed);
    // the positions are cached so a chunk without one of them is searched once.
    let nextCr = -2;
    let nextLf = -2;
    let at = from;
    while (at < chunk.length) {
      if (this.#state === "text") {
        if (nextCr !== -1 && nextCr < at) nextCr = chunk.indexOf(CR, at);
        if (nextLf !== -1 && nextLf < at) nextLf = chunk.indexOf(LF, at);
        const next = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
        this.#lineOctets += (next === -1 ? chunk.length : next) - at;
        if (next === -1) break;
        at = next;
      }
      const octet = chunk[at] ?? 0;
      if (octet !== CR && octet !== LF) this.#lineOctets++;
      const outcome = this.#step(octet, at);
      if (outcome !== undefined) return outcome;
      at++;
    }
    // A header line that has not ended yet is already known to be too long.
    if (this.#inHeaders && this.#lineOctets > this.#limits.header) {
      this.anomalies.longHeaderLine = true;
    }
    return { kind: "more", undecided: this.#undecided };
  }

  // One octet of the grammar; returns an outcome when the content ends or is refused.
  #step(octet: number, at: number): ScanOutcome | undefined {
    switch (this.#state) {
      case "text":
        this.#afterText(octet);
        return undefined;
      case "cr":
        if (octet === LF) {
          this.#enterLine("line-start", "CRLF");
          return undefined;
        }
        // The CR stood alone: a loose line end; this octet starts the next line.
        this.anomalies.bareCr = true;
        this.#enterLine("loose-line-start", "CR");
        return this.#step(octet, at);
      case "line-start":
      case "loose-line-start":
      case "nul":
        this.#atLineStart(octet);
        return undefined;
      case "dot":
        return this.#afterDot(octet, at);
      case "dot-cr":
        if (octet === LF) {
          this.#undecided = 0;
          this.#state = "line-start";
          return { kind: "end", index: at + 1 };
        }
        return this.#smuggling(at, "CRLF.CR");
      case "loose-dot":
        if (octet === CR || octet === LF) {
          return this.#smuggling(at, `${this.#lineStart}.${octet === CR ? "CR" : "LF"}`);
        }
        this.#undecided = 0;
        this.#afterText(octet);
        return undefined;
    }
  }

  #afterText(octet: number): void {
    this.#undecided = 0;
    if (octet === CR) {
      this.#state = "cr";
    } else if (octet === LF) {
      this.anomalies.bareLf = true;
      this.#enterLine("loose-line-start", "LF");
    } else {
      this.#state = "text";
    }
  }

  #atLineStart(octet: number): void {
    const loose = this.#state !== "line-start";
    if (octet === DOT) {
      this.#state = loose ? "loose-dot" : "dot";
      this.#undecided = 1;
    } else if (octet === NUL) {
      // A NUL alone ends nothing, so it is not held back; a dot after it would be.
      this.#state = "nul";
      this.#lineStart = "NUL";
    } else {
      this.#afterText(octet);
    }
  }

  #afterDot(octet: number, at: number): ScanOutcome | undefined {
    if (octet === CR) {
      this.#state = "dot-cr";
      this.#undecided = 2;
      return undefined;
    }
    if (octet === LF) return this.#smuggling(at, "CRLF.LF");
    // ".." is dot-stuffing (RFC 5321 4.5.2) and ".x" a line the server unstuffs: content.
    this.#undecided = 0;
    this.#state = "text";
    return undefined;
  }

  #enterLine(state: "line-start" | "loose-line-start", how: string): void {
    this.#finishLine();
    this.#state = state;
    this.#lineStart = how;
    this.#undecided = 0;
  }

  // The headers end at the first empty line (RFC 5322 2.1).
  #finishLine(): void {
    const octets = this.#lineOctets;
    this.#lineOctets = 0;
    if (this.#inHeaders && octets === 0) this.#inHeaders = false;
    else if (this.#inHeaders && octets > this.#limits.header) this.anomalies.longHeaderLine = true;
    else if (!this.#inHeaders && octets > this.#limits.body) this.anomalies.longBodyLine = true;
  }

  #smuggling(at: number, variant: string): ScanOutcome {
    return { kind: "smuggling", index: at, variant };
  }
}
