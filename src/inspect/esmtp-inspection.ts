import { X } from "../smtp/bytes.js";
import type { ReplyLine } from "../smtp/reply-line.js";
import { checkCommand } from "./esmtp-checks.js";
import { EsmtpState } from "./esmtp-state.js";
import type { AnomalyKind } from "./events.js";
import { readBdat, type BdatCommand } from "./extensions/chunking.js";
import { hasValidEnhancedCode } from "./extensions/enhanced-status-codes.js";
import { lineEndLength } from "./mask.js";
import type { PendingCommand } from "./pending-commands.js";
import type { EsmtpPolicy } from "./policy.js";
import { SYNC_POINTS } from "./extensions/pipelining.js";
import { refuse, type Refusal } from "./refusal.js";

const PIPELINED_PAST_SYNC_POINT = refuse(
  "pipelining",
  "503 5.5.1 Command pipelined past a sync point (RFC 2920)",
);

/** Commands awaiting replies, as the pipelining rules need to see them. */
export interface PendingView {
  readonly size: number;
  /** How many of them are RFC 2920 sync points. */
  readonly syncPoints: number;
}

/** Whether a pending entry is an RFC 2920 sync point (counted by the pending queue). */
export function isSyncPoint(entry: PendingCommand): boolean {
  return entry.kind === "command" && SYNC_POINTS.has(entry.verb);
}

const ASTERISK = 0x2a;

/** What to do with one line of a server reply. */
export type LineAction = "pass" | "swallow" | Buffer;

/**
 * The esmtp rule's deeper inspection around the core inspector: it judges commands whose verb
 * is legal, follows the transaction as sent and as answered, filters the server's EHLO reply
 * and checks enhanced status codes. The inspector owns the bytes; this owns the meaning.
 */
export class EsmtpInspection {
  readonly state = new EsmtpState();
  readonly #policy: EsmtpPolicy;
  readonly #maxData: number;
  readonly #anomaly: (kind: AnomalyKind) => void;
  /** Keywords of the EHLO reply being read, kept until its last line says it succeeded. */
  #offered = new Map<string, string>();

  constructor(policy: EsmtpPolicy, maxData: number, anomaly: (kind: AnomalyKind) => void) {
    this.#policy = policy;
    this.#maxData = maxData;
    this.#anomaly = anomaly;
  }

  get policy(): EsmtpPolicy {
    return this.#policy;
  }

  /** Verbs legal only when the server advertised them and the policy lets them through. */
  legalExtensionVerb(verb: string): boolean {
    if (verb === "BDAT") return this.state.has("CHUNKING");
    if (verb === "STARTTLS") return this.#policy.tls !== "mask" && this.state.has("STARTTLS");
    return false;
  }

  /** A whole command line with a legal verb: pipelining first, then the command's checks. */
  judgeLine(verb: string, parameters: string, pending: PendingView): Refusal | undefined {
    if (this.#notePipelining(pending) && this.#policy.pipeliningViolation === "mask") {
      return PIPELINED_PAST_SYNC_POINT;
    }
    return this.judge(verb, parameters);
  }

  // RFC 2920: a command sent before the reply to an earlier one is pipelining, which the
  // server must have advertised, and which must not follow a sync point. True for the latter.
  #notePipelining(pending: PendingView): boolean {
    if (pending.size === 0) return false;
    if (this.state.advertised.size > 0 && !this.state.has("PIPELINING")) {
      this.#anomaly("pipelining-not-advertised");
    }
    if (pending.syncPoints === 0) return false;
    this.#anomaly("pipelining-after-sync-point");
    return true;
  }

  /** ASA mask-banner, in its safe form: the code and separator stay, the text becomes "*". */
  greetingLine(line: Buffer, start: number, end: number): LineAction {
    if (!this.#policy.maskBanner) return "pass";
    const masked = Buffer.from(line.subarray(start, end));
    masked.fill(ASTERISK, 4, end - start - lineEndLength(line, start, end));
    return masked;
  }

  /** 8-bit content was declared by BODY=8BITMIME or BINARYMIME. */
  get eightBitDeclared(): boolean {
    return this.state.transaction.eightBit;
  }

  judge(verb: string, parameters: string): Refusal | undefined {
    const refusal = checkCommand(verb, parameters, {
      state: this.state,
      policy: this.#policy,
      maxData: this.#maxData,
      anomaly: this.#anomaly,
    });
    if (refusal !== undefined && verb === "MAIL") {
      // Flags a refused MAIL's parameters set must not outlive it.
      this.state.transaction.binary = false;
      this.state.transaction.eightBit = false;
      this.state.transaction.smtputf8 = false;
    }
    return refusal;
  }

  /** RFC 3207 4.2: after TLS starts both sides forget what they knew; the client EHLOs again. */
  restart(): void {
    this.state.advertised = new Map();
    this.state.authenticated = false;
    this.state.ehloPending = 0;
    this.state.greetingsPending = 0;
    this.state.resetTransaction();
    this.#offered = new Map();
  }

  /** A command passed: the transaction as the client has sent it. Returns BDAT's framing. */
  sent(verb: string, parameters: string): BdatCommand | undefined {
    const { transaction } = this.state;
    switch (verb) {
      case "MAIL":
        transaction.mail = "pending";
        return undefined;
      case "RCPT":
        transaction.rcptSent++;
        transaction.rcptPending++;
        return undefined;
      case "BDAT": {
        const bdat = readBdat(parameters);
        transaction.chunked = true;
        if (bdat?.last === true) transaction.lastChunkSent = true;
        return bdat;
      }
      case "EHLO":
        this.state.ehloPending++;
        this.state.greetingsPending++;
        return undefined;
      case "HELO":
        this.state.greetingsPending++;
        return undefined;
      case "RSET":
        this.state.resetTransaction();
        return undefined;
      default:
        return undefined;
    }
  }

  /** The message (DATA content or the LAST chunk) has been sent: the transaction is over. */
  messageSent(): void {
    this.state.resetTransaction();
  }

  /** A reply completed: the transaction as the server has answered it. */
  replied(entry: PendingCommand, code: number): void {
    const { transaction } = this.state;
    const current = entry.generation === transaction.generation;
    const positive = code >= 200 && code < 300;
    if (entry.verb === "MAIL" && current) {
      transaction.mail = positive ? "accepted" : "none";
    } else if (entry.verb === "RCPT" && current) {
      transaction.rcptPending--;
      if (positive) transaction.rcptAccepted++;
    } else if (entry.verb === "AUTH" && code === 235) {
      this.state.authenticated = true;
    }
    if ((entry.verb === "EHLO" || entry.verb === "HELO") && entry.kind === "command") {
      this.#greetingReplied(entry.verb, positive);
    }
  }

  // RFC 5321 4.1.4: an accepted HELO or EHLO resets the transaction; EHLO's reply sets what
  // the server offers (as the client saw it, after filtering), HELO's offers nothing.
  #greetingReplied(verb: string, accepted: boolean): void {
    this.state.greetingsPending--;
    if (verb === "EHLO") this.state.ehloPending--;
    if (accepted) {
      this.state.resetTransaction();
      this.state.advertised = verb === "EHLO" ? this.#offered : new Map<string, string>();
    }
    if (verb === "EHLO") this.#offered = new Map();
  }

  /** One line of a reply to `entry`: EHLO keyword filtering and enhanced-code checks. */
  replyLine(
    entry: PendingCommand,
    line: Buffer,
    start: number,
    end: number,
    reply: ReplyLine,
    first: boolean,
  ): LineAction {
    if (entry.kind === "command" && entry.verb === "EHLO" && reply.code === 250) {
      return first ? "pass" : this.#filterKeyword(line, start, end);
    }
    if (reply.final && entry.verb !== "HELO" && entry.verb !== "EHLO") {
      this.#checkEnhancedCode(line, start, end, reply.code);
    }
    return "pass";
  }

  // The ASA's `ehlo-reply-parameter others` mask: a keyword the gateway does not inspect is
  // replaced, with its parameters, by X's of the same length.
  #filterKeyword(line: Buffer, start: number, end: number): LineAction {
    const textEnd = end - lineEndLength(line, start, end);
    const text = line.toString("latin1", start + 4, textEnd);
    // "AUTH=LOGIN" (a pre-RFC form) is its own keyword, not AUTH.
    const [word = ""] = text.split(/[ \t]/, 1);
    const keyword = word.toUpperCase();
    if (this.#offers(keyword)) {
      this.#offered.set(keyword, text.slice(word.length).trim());
      return "pass";
    }
    const masked = Buffer.from(line.subarray(start, end));
    masked.fill(X, 4, textEnd - start);
    return masked;
  }

  #offers(keyword: string): boolean {
    if (keyword === "STARTTLS") return this.#policy.tls !== "mask";
    return this.#policy.ehloKeywords.has(keyword) || !this.#policy.maskOtherEhloKeywords;
  }

  #checkEnhancedCode(line: Buffer, start: number, end: number, code: number): void {
    if (!this.state.has("ENHANCEDSTATUSCODES") || code < 200 || (code >= 300 && code < 400)) {
      return;
    }
    const text = line.toString("latin1", start + 4, end - lineEndLength(line, start, end));
    if (!hasValidEnhancedCode(code, text)) this.#anomaly("bad-enhanced-status-code");
  }
}
