import { MAX_PENDING_COMMANDS } from "../smtp/limits.js";

/**
 * What a reply will answer. A "command" is a line the policy passed, "masked" one it
 * rewrote, "message" the end of a message's content, "auth-response" a SASL line.
 */
export type PendingKind = "command" | "masked" | "message" | "auth-response";

export interface PendingCommand {
  readonly kind: PendingKind;
  readonly verb: string;
  /** The transaction it belongs to (esmtp rules), so late replies to an old one are ignored. */
  readonly generation?: number;
  /** The reply the client gets in place of the server's (a refused command's clear answer). */
  readonly replacement?: Buffer;
}

/**
 * The commands sent ahead of their replies, oldest first. RFC 2920 3.1: the server answers
 * in the order it received, so each complete reply answers the oldest entry.
 */
export class PendingCommands {
  #entries: PendingCommand[] = [];
  #head = 0;
  readonly #counts: (entry: PendingCommand) => boolean;
  /** Pending entries the counting test holds for (RFC 2920 sync points), kept as they move. */
  #counted = 0;

  constructor(counts: (entry: PendingCommand) => boolean = () => false) {
    this.#counts = counts;
  }

  get counted(): number {
    return this.#counted;
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  get full(): boolean {
    return this.size >= MAX_PENDING_COMMANDS;
  }

  push(entry: PendingCommand): void {
    this.#entries.push(entry);
    if (this.#counts(entry)) this.#counted++;
  }

  peek(): PendingCommand | undefined {
    return this.#entries[this.#head];
  }

  shift(): PendingCommand | undefined {
    const entry = this.#entries[this.#head];
    if (entry === undefined) return undefined;
    this.#head++;
    if (this.#counts(entry)) this.#counted--;
    // Compact now and then so a long pipelined session keeps a short array.
    if (this.#head >= 64 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }
}
