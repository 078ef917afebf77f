import { randomBytes } from "node:crypto";

/** Random octets drawn at once for session ids, four per id. */
const ID_POOL_OCTETS = 4_096;

import type { Endpoint } from "../log/catalogue.js";

/** IOS session states (SPEC section 6). SIS_OPENING is half-open. */
export type SessionState = "SIS_OPENING" | "SIS_OPEN" | "SIS_CLOSING";

export type SessionProtocol = "smtp" | "esmtp" | "tcp";

/** One relayed connection, as `show ip inspect sessions` prints it. */
export interface SessionEntry {
  readonly id: string;
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
  readonly protocol: SessionProtocol;
  readonly ruleName: string;
  readonly interfaceName: string;
  readonly createdAt: number;
  state: SessionState;
  lastHeardAt: number;
  /** Octets the initiator sent (as relayed to the responder). */
  initiatorBytes: number;
  /** Octets the responder sent (as relayed to the initiator). */
  responderBytes: number;
}

export type NewSession = Omit<SessionEntry, "id" | "state" | "initiatorBytes" | "responderBytes">;

/** Counters for `show ip inspect statistics`. */
export interface SessionCounts {
  created: number;
  readonly current: Record<SessionState, number>;
  readonly maxEver: Record<SessionState, number>;
  lastCreatedAt: number | undefined;
}

/** Sessions a table keeps at most; a new connection past this is refused. */
export const MAX_SESSIONS = 100_000;

/**
 * The session state table. Ids are 8 upper-case hex digits, as IOS prints its session
 * addresses; they are random so that a client cannot guess another's id.
 */
export class SessionTable {
  readonly #entries = new Map<string, SessionEntry>();
  readonly counts: SessionCounts = {
    created: 0,
    current: { SIS_OPENING: 0, SIS_OPEN: 0, SIS_CLOSING: 0 },
    maxEver: { SIS_OPENING: 0, SIS_OPEN: 0, SIS_CLOSING: 0 },
    lastCreatedAt: undefined,
  };

  get size(): number {
    return this.#entries.size;
  }

  get full(): boolean {
    return this.#entries.size >= MAX_SESSIONS;
  }

  /** Adds a session under a fresh id, or under one taken from `newId()` beforehand. */
  add(session: NewSession, id = this.newId()): SessionEntry {
    const entry: SessionEntry = {
      ...session,
      id,
      state: "SIS_OPENING",
      initiatorBytes: 0,
      responderBytes: 0,
    };
    this.#entries.set(entry.id, entry);
    this.counts.created++;
    this.counts.lastCreatedAt = session.createdAt;
    this.#count(entry.state, 1);
    return entry;
  }

  /** Moves a session to a new state; states only go forward. */
  setState(entry: SessionEntry, state: SessionState): void {
    if (entry.state === state || !this.#entries.has(entry.id)) return;
    this.#count(entry.state, -1);
    entry.state = state;
    this.#count(state, 1);
  }

  remove(entry: SessionEntry): void {
    if (!this.#entries.delete(entry.id)) return;
    this.#count(entry.state, -1);
  }

  get(id: string): SessionEntry | undefined {
    return this.#entries.get(id.toUpperCase());
  }

  list(): SessionEntry[] {
    return [...this.#entries.values()];
  }

  #count(state: SessionState, delta: number): void {
    const current = (this.counts.current[state] += delta);
    if (current > this.counts.maxEver[state]) this.counts.maxEver[state] = current;
  }

  #pool = randomBytes(ID_POOL_OCTETS);
  #poolAt = 0;

  // One call to the random source per thousand ids, not one per id.
  #randomWord(): number {
    if (this.#poolAt + 4 > this.#pool.length) {
      this.#pool = randomBytes(ID_POOL_OCTETS);
      this.#poolAt = 0;
    }
    const word = this.#pool.readUInt32BE(this.#poolAt);
    this.#poolAt += 4;
    return word;
  }

  newId(): string {
    for (;;) {
      const id = this.#randomWord().toString(16).toUpperCase().padStart(8, "0");
      if (!this.#entries.has(id)) return id;
    }
  }
}
