/**
 * The state that the denial-of-service thresholds share: the one-minute window of new
 * sessions, host blocks and per-source counters. DESIGN.md puts it behind one store
 * interface so that several gateway instances can later share it; this one is in memory.
 */
export interface ThresholdStore {
  /** Counts a new session (and one for its source) at `now`. */
  recordNewSession(source: string, now: number): void;
  /** New sessions in the sliding minute that ends at `now`. */
  oneMinuteRate(now: number): number;
  /** New sessions from one source in the sliding minute that ends at `now`. */
  sourceRate(source: string, now: number): number;
  /** Sessions a source holds now. */
  sourceSessions(source: string): number;
  sourceSessionOpened(source: string): void;
  sourceSessionClosed(source: string): void;
  blockHost(host: string, until: number): void;
  /** When the host's block ends, or undefined when it is not blocked. */
  blockedUntil(host: string): number | undefined;
  unblockHost(host: string): void;
  blockedHosts(): string[];
}

/** The one-minute window is kept in this many slots, so it is exact to the second. */
const WINDOW_SLOTS = 60;

/** Per-source windows kept at most; the least recently seen sources are forgotten first. */
export const MAX_TRACKED_SOURCES = 65_536;

/** A sliding window of counts over `minuteMs`, in WINDOW_SLOTS slots. */
class SlidingMinute {
  readonly #slotMs: number;
  readonly #counts = new Array<number>(WINDOW_SLOTS).fill(0);
  readonly #slotIds = new Array<number>(WINDOW_SLOTS).fill(-1);

  constructor(minuteMs: number) {
    this.#slotMs = minuteMs / WINDOW_SLOTS;
  }

  add(now: number): void {
    const id = Math.floor(now / this.#slotMs);
    const slot = id % WINDOW_SLOTS;
    if (this.#slotIds[slot] !== id) {
      this.#slotIds[slot] = id;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] ?? 0) + 1;
  }

  total(now: number): number {
    const newest = Math.floor(now / this.#slotMs);
    let total = 0;
    for (let slot = 0; slot < WINDOW_SLOTS; slot++) {
      const id = this.#slotIds[slot] ?? -1;
      if (id > newest - WINDOW_SLOTS && id <= newest) total += this.#counts[slot] ?? 0;
    }
    return total;
  }
}

export class MemoryThresholdStore implements ThresholdStore {
  readonly #minuteMs: number;
  readonly #window: SlidingMinute;
  readonly #sourceWindows = new Map<string, SlidingMinute>();
  readonly #sourceSessions = new Map<string, number>();
  readonly #blocks = new Map<string, number>();

  /** `minuteMs` is 60000 but for tests, which shorten the minute. */
  constructor(minuteMs = 60_000) {
    this.#minuteMs = minuteMs;
    this.#window = new SlidingMinute(minuteMs);
  }

  recordNewSession(source: string, now: number): void {
    this.#window.add(now);
    let window = this.#sourceWindows.get(source);
    if (window === undefined) {
      window = new SlidingMinute(this.#minuteMs);
      if (this.#sourceWindows.size >= MAX_TRACKED_SOURCES) this.#forgetOldestSource();
    } else {
      this.#sourceWindows.delete(source);
    }
    this.#sourceWindows.set(source, window);
    window.add(now);
  }

  oneMinuteRate(now: number): number {
    return this.#window.total(now);
  }

  sourceRate(source: string, now: number): number {
    return this.#sourceWindows.get(source)?.total(now) ?? 0;
  }

  sourceSessions(source: string): number {
    return this.#sourceSessions.get(source) ?? 0;
  }

  sourceSessionOpened(source: string): void {
    this.#sourceSessions.set(source, this.sourceSessions(source) + 1);
  }

  sourceSessionClosed(source: string): void {
    const left = this.sourceSessions(source) - 1;
    if (left > 0) this.#sourceSessions.set(source, left);
    else this.#sourceSessions.delete(source);
  }

  blockHost(host: string, until: number): void {
    this.#blocks.set(host, until);
  }

  blockedUntil(host: string): number | undefined {
    return this.#blocks.get(host);
  }

  unblockHost(host: string): void {
    this.#blocks.delete(host);
  }

  blockedHosts(): string[] {
    return [...this.#blocks.keys()];
  }

  #forgetOldestSource(): void {
    const oldest = this.#sourceWindows.keys().next();
    if (oldest.done !== true) this.#sourceWindows.delete(oldest.value);
  }
}
