import { isAscii } from "node:buffer";

import { DataScanner } from "../smtp/data-scanner.js";
import type { AnomalyKind, InspectionEvent, ResetReason } from "./events.js";
import type { Forwarder } from "./forwarder.js";
import { MimeFilenameWatch } from "./mime-filename.js";
import type { LimitAction } from "./policy.js";

/** ASA `match header|body line length gt N` with its action; absent: no limit. */
export interface LineLengthLimits {
  readonly header: { readonly limit: number; readonly action: LimitAction };
  readonly body: { readonly limit: number; readonly action: LimitAction };
}

/** What the content relay needs from the inspector around it. */
export interface ContentHooks {
  readonly toServer: Forwarder;
  readonly maxData: number;
  readonly lineLimits?: LineLengthLimits | undefined;
  /** ASA `match MIME filename length gt N`, with its action. */
  readonly mimeFilename?: { readonly limit: number; readonly action: LimitAction } | undefined;
  event(event: InspectionEvent): void;
  anomaly(kind: AnomalyKind): void;
  reset(reason: ResetReason): void;
  now(): number;
}

/** How far a call got: the chunk position reached and whether the message (or chunk) ended. */
export interface ContentStep {
  readonly next: number;
  readonly ended: boolean;
}

const NOTHING = Buffer.alloc(0);
/** The end-of-data line, "." CRLF: not content (RFC 5321 4.1.1.4). */
const END_OF_DATA_OCTETS = 3;

/**
 * Relays message content: DATA content up to CRLF "." CRLF (refusing the smuggling look-
 * alikes), and BDAT chunks counted exactly (RFC 3030, no end-of-data scan inside a chunk).
 * Every content octet counts toward max-data, and nothing past it is forwarded.
 */
export class ContentRelay {
  readonly #hooks: ContentHooks;
  readonly #scanner = new DataScanner();
  /** Undecided octets of a possible end of data, from the end of the previous chunk. */
  #tail: Buffer = NOTHING;
  #chunkLeft = 0;
  #sessionOctets = 0;
  #messageOctets = 0;
  /** The transaction declared 8-bit content (BODY=8BITMIME or BINARYMIME). */
  #eightBitDeclared = true;
  #mime: MimeFilenameWatch | undefined;

  constructor(hooks: ContentHooks) {
    this.#hooks = hooks;
  }

  /** Content octets relayed in the session: the figure max-data bounds. */
  get sessionOctets(): number {
    return this.#sessionOctets;
  }

  get messageOctets(): number {
    return this.#messageOctets;
  }

  get tailOctets(): number {
    return this.#tail.length;
  }

  /** A new message after DATA's 354; `eightBitDeclared` false makes 8-bit octets an anomaly. */
  startMessage(eightBitDeclared: boolean): void {
    const limits = this.#hooks.lineLimits;
    this.#scanner.reset(
      limits === undefined ? undefined : { header: limits.header.limit, body: limits.body.limit },
    );
    this.#tail = NOTHING;
    this.#messageOctets = 0;
    this.#eightBitDeclared = eightBitDeclared;
    this.#mime = this.#newMimeWatch();
  }

  #newMimeWatch(): MimeFilenameWatch | undefined {
    const rule = this.#hooks.mimeFilename;
    return rule === undefined ? undefined : new MimeFilenameWatch(rule.limit);
  }

  /** A BDAT chunk of `size` octets follows. */
  startChunk(size: number, eightBitDeclared: boolean, firstOfMessage: boolean): void {
    this.#chunkLeft = size;
    this.#eightBitDeclared = eightBitDeclared;
    if (firstOfMessage) this.#mime = this.#newMimeWatch();
  }

  /** DATA content; undefined when the session was reset (smuggling, max-data). */
  dataBytes(chunk: Buffer, at: number): ContentStep | undefined {
    const tail = this.#tail;
    const outcome = this.#scanner.scan(chunk, at);
    if (this.#lineLimitEndsSession()) return undefined;
    if (this.#mimeFilenameEndsSession(chunk, at, chunk.length)) return undefined;
    const available = tail.length + chunk.length - at;
    switch (outcome.kind) {
      case "smuggling":
        this.#hooks.event({ type: "smuggling", at: this.#hooks.now(), variant: outcome.variant });
        this.#hooks.reset("smuggling");
        return undefined;
      case "more": {
        if (this.#send(chunk, at, available - outcome.undecided) < 0) return undefined;
        this.#tail = Buffer.from(lastOctets(tail, chunk, at, outcome.undecided));
        return { next: chunk.length, ended: false };
      }
      case "end": {
        // The end-of-data line is not content; the CRLF before it is.
        const sent = tail.length + outcome.index - at;
        const next = this.#send(chunk, at, sent - END_OF_DATA_OCTETS);
        if (next < 0) return undefined;
        this.#sendSlices(chunk, next, END_OF_DATA_OCTETS);
        this.#tail = NOTHING;
        this.#flagAnomalies();
        return { next: outcome.index, ended: true };
      }
    }
  }

  /** BDAT chunk octets; undefined when the session was reset (max-data). */
  chunkBytes(chunk: Buffer, at: number): ContentStep | undefined {
    const count = Math.min(this.#chunkLeft, chunk.length - at);
    if (this.#mimeFilenameEndsSession(chunk, at, at + count)) return undefined;
    const next = this.#send(chunk, at, count);
    if (next < 0) return undefined;
    this.#chunkLeft -= count;
    return { next, ended: this.#chunkLeft === 0 };
  }

  /**
   * Sends `count` content octets (the held tail first, then the chunk) within max-data.
   * Returns the chunk position reached, or -1 when max-data was exceeded and the session reset.
   */
  #send(chunk: Buffer, at: number, count: number): number {
    const { maxData } = this.#hooks;
    const allowed = maxData - this.#sessionOctets;
    const sending = Math.min(count, Math.max(allowed, 0));
    if (!this.#eightBitDeclared && !isAscii(chunk.subarray(at, at + sending))) {
      this.#hooks.anomaly("8bit-without-body");
      this.#eightBitDeclared = true;
    }
    const next = this.#sendSlices(chunk, at, sending);
    this.#sessionOctets += sending;
    this.#messageOctets += sending;
    if (count <= allowed) return next;
    this.#hooks.event({ type: "max-data-exceeded", at: this.#hooks.now(), limit: maxData });
    this.#hooks.reset("max-data");
    return -1;
  }

  /** Sends the first `count` octets of the held tail + chunk[at..]; returns where it stopped. */
  #sendSlices(chunk: Buffer, at: number, count: number): number {
    const fromTail = Math.min(this.#tail.length, count);
    if (fromTail > 0) {
      this.#hooks.toServer.emit(this.#tail.subarray(0, fromTail));
      this.#tail = this.#tail.subarray(fromTail);
    }
    const to = at + count - fromTail;
    this.#hooks.toServer.pass(chunk, at, to);
    return to;
  }

  // ASA default map: a header line over 998 octets drops the connection, a body line is logged.
  #lineLimitEndsSession(): boolean {
    const limits = this.#hooks.lineLimits;
    const { longHeaderLine, longBodyLine } = this.#scanner.anomalies;
    if (limits === undefined || (!longHeaderLine && !longBodyLine)) return false;
    const crossed = longHeaderLine ? limits.header : limits.body;
    this.#hooks.anomaly(longHeaderLine ? "long-header-line" : "long-body-line");
    if (crossed.action !== "reset") return false;
    this.#hooks.reset("policy");
    return true;
  }

  #mimeFilenameEndsSession(chunk: Buffer, from: number, to: number): boolean {
    const rule = this.#hooks.mimeFilename;
    if (rule === undefined || this.#mime?.tooLong(chunk, from, to) !== true) return false;
    this.#hooks.anomaly("long-mime-filename");
    if (rule.action !== "reset") {
      this.#mime = undefined;
      return false;
    }
    this.#hooks.reset("policy");
    return true;
  }

  #flagAnomalies(): void {
    const { bareLf, bareCr } = this.#scanner.anomalies;
    if (bareLf) this.#hooks.anomaly("bare-lf-in-content");
    if (bareCr) this.#hooks.anomaly("bare-cr-in-content");
  }
}

/** The last `count` octets of tail + chunk[at..]: the undecided end of the content. */
function lastOctets(tail: Buffer, chunk: Buffer, at: number, count: number): Buffer {
  if (count === 0) return NOTHING;
  const fromChunk = Math.min(count, chunk.length - at);
  const fromTail = count - fromChunk;
  const piece = chunk.subarray(chunk.length - fromChunk);
  return fromTail === 0 ? piece : Buffer.concat([tail.subarray(tail.length - fromTail), piece]);
}
