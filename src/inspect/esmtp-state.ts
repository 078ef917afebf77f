/**
 * What an esmtp rule knows of the session: the extensions the server advertised (after the
 * gateway's own filtering) and the mail transaction as the client has sent it and the server
 * has answered so far, so that legal pipelining is never refused.
 */

export interface Transaction {
  /** MAIL sent and not refused: "pending" until its reply, then "accepted". */
  mail: "none" | "pending" | "accepted";
  /** The transaction's MAIL asked for SMTPUTF8, or BODY=BINARYMIME. */
  smtputf8: boolean;
  binary: boolean;
  /** BODY=8BITMIME or BINARYMIME: 8-bit content was declared. */
  eightBit: boolean;
  rcptSent: number;
  rcptPending: number;
  rcptAccepted: number;
  /** BDAT was used, and its LAST chunk sent. */
  chunked: boolean;
  lastChunkSent: boolean;
  /** Bumped whenever the transaction starts anew, so late replies to an old one are ignored. */
  generation: number;
}

export class EsmtpState {
  /** Keyword → parameters, from the last successful EHLO reply as the client saw it. */
  advertised = new Map<string, string>();
  authenticated = false;
  readonly transaction: Transaction = freshTransaction(0);

  /** EHLO commands sent and not yet answered. */
  ehloPending = 0;
  /**
   * HELO or EHLO commands unanswered: they reset the transaction only if the server accepts
   * them (a refused EHLO keeps the envelope), so the sequence is unknown until then.
   */
  greetingsPending = 0;

  /** Whether the transaction's sequence can be judged now. */
  get sequenceKnown(): boolean {
    return this.greetingsPending === 0;
  }

  /**
   * Whether the server advertised a keyword. While an EHLO is unanswered nobody knows yet, and
   * a client that pipelines behind it is given the benefit of the doubt: the server judges.
   */
  has(keyword: string): boolean {
    return this.ehloPending > 0 || this.advertised.has(keyword);
  }

  /** RSET, HELO, EHLO, the end of a message: the next MAIL starts a new transaction. */
  resetTransaction(): void {
    Object.assign(this.transaction, freshTransaction(this.transaction.generation + 1));
  }
}

function freshTransaction(generation: number): Transaction {
  return {
    mail: "none",
    smtputf8: false,
    binary: false,
    eightBit: false,
    rcptSent: 0,
    rcptPending: 0,
    rcptAccepted: 0,
    chunked: false,
    lastChunkSent: false,
    generation,
  };
}
