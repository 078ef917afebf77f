import {
  alertOff,
  alertOn,
  blockHost,
  hostTcpAlertOn,
  unblockHost,
  type FwMessage,
} from "../log/catalogue.js";
import type { ThresholdStore } from "./threshold-store.js";

/** The thresholds of SPEC section 6 (and the per-source limits beyond it). */
export interface ThresholdSettings {
  readonly maxIncomplete: { readonly high: number; readonly low: number };
  readonly oneMinute: { readonly high: number; readonly low: number };
  readonly hostMaxIncomplete: number;
  readonly hostBlockMinutes: number;
  readonly sourceMaxSessions: number;
  readonly sourceOneMinute: number;
}

/** No thresholds at all: what a plan without them means. */
export const UNLIMITED_THRESHOLDS: ThresholdSettings = {
  maxIncomplete: { high: Infinity, low: Infinity },
  oneMinute: { high: Infinity, low: Infinity },
  hostMaxIncomplete: Infinity,
  hostBlockMinutes: 0,
  sourceMaxSessions: Infinity,
  sourceOneMinute: Infinity,
};

/** What the guard needs to know of a new session. */
export interface GuardedSession {
  readonly id: string;
  /** The destination host (the server's address as the client sees it). */
  readonly host: string;
  /** The client's address. */
  readonly source: string;
}

export type RefusalReason =
  | "host-blocked"
  | "source-sessions"
  | "source-rate"
  /** A shared store: the cluster is at max-incomplete and this instance has nothing to delete. */
  | "half-open-full";

export type AdmissionOutcome =
  | { readonly kind: "admit"; readonly evict: readonly string[] }
  | { readonly kind: "refuse"; readonly reason: RefusalReason; readonly evict: readonly string[] };

/** Figures for `show ip inspect statistics` and the tests. */
export interface GuardStatistics {
  readonly halfOpen: number;
  readonly oneMinuteRate: number;
  readonly aggressive: boolean;
  readonly blockedHosts: readonly string[];
  /** Half-open sessions deleted by the thresholds since start. */
  readonly deleted: number;
  readonly refused: number;
}

/** What one instance holds: half-open sessions in all and per host, sessions per source. */
export interface LocalShare {
  readonly halfOpen: number;
  readonly hosts: ReadonlyMap<string, number>;
  readonly sources: ReadonlyMap<string, number>;
}

export interface GuardOptions {
  readonly store: ThresholdStore;
  readonly log: (message: FwMessage) => void;
  /** The length of a minute in ms: 60000 but for tests. */
  readonly minuteMs?: number;
}

/**
 * The denial-of-service defence of IOS CBAC (REFERENCE.md 2.3): global half-open and
 * one-minute thresholds with hysteresis ("getting aggressive" / "calming down"), and the
 * per-host half-open limit with its block-time. It decides; the gateway resets the sessions
 * it names. Half-open sessions are kept in arrival order, so the oldest is first.
 */
export class HalfOpenGuard {
  #settings: ThresholdSettings;
  readonly #store: ThresholdStore;
  readonly #log: (message: FwMessage) => void;
  readonly #minuteMs: number;
  readonly #halfOpen = new Map<string, GuardedSession>();
  readonly #byHost = new Map<string, Set<string>>();
  readonly #sources = new Map<string, string>();
  readonly #hostsAlerted = new Set<string>();
  #aggressive = false;
  /** Which threshold made the guard aggressive: the alerts count what that one measures. */
  #trigger: "max-incomplete" | "one-minute" = "max-incomplete";
  #deleted = 0;
  #refused = 0;

  constructor(settings: ThresholdSettings, options: GuardOptions) {
    this.#settings = settings;
    this.#store = options.store;
    this.#log = options.log;
    this.#minuteMs = options.minuteMs ?? 60_000;
  }

  set settings(settings: ThresholdSettings) {
    this.#settings = settings;
  }

  statistics(now: number): GuardStatistics {
    return {
      halfOpen: this.#halfOpen.size,
      oneMinuteRate: this.#store.oneMinuteRate(now),
      aggressive: this.#aggressive,
      blockedHosts: this.#store.blockedHosts(),
      deleted: this.#deleted,
      refused: this.#refused,
    };
  }

  /** Decides on a new connection: admit it (deleting the half-open sessions named) or refuse. */
  admit(session: GuardedSession, now: number): AdmissionOutcome {
    this.tick(now);
    const refusal = this.#refusal(session, now);
    if (refusal !== undefined) return this.#refuse(refusal, []);

    this.#store.recordNewSession(session.source, now);
    const evict = this.#globalEvictions(now);
    const host = this.#hostEvictions(session.host, now);
    evict.push(...host.evict);
    if (host.blocked) return this.#refuse("host-blocked", evict);

    this.#halfOpen.set(session.id, session);
    this.#hostSet(session.host).add(session.id);
    this.#sources.set(session.id, session.source);
    this.#store.sourceSessionOpened(session.source);
    return { kind: "admit", evict };
  }

  /**
   * Records a session that a shared store admitted: it is half-open here, and the decisions
   * were the cluster's, so none is taken.
   */
  track(session: GuardedSession): void {
    this.#halfOpen.set(session.id, session);
    this.#hostSet(session.host).add(session.id);
    this.#sources.set(session.id, session.source);
    this.#store.sourceSessionOpened(session.source);
  }

  /** The oldest half-open session here, of one host or of any. */
  oldestHalfOpen(host?: string): GuardedSession | undefined {
    if (host === undefined) return this.#halfOpen.values().next().value;
    const id = this.#byHost.get(host)?.values().next().value;
    return id === undefined ? undefined : this.#halfOpen.get(id);
  }

  /** The half-open sessions here to one host, oldest first. */
  halfOpenTo(host: string): string[] {
    return [...(this.#byHost.get(host) ?? [])];
  }

  /** The session if it is half-open here. */
  halfOpenSession(id: string): GuardedSession | undefined {
    return this.#halfOpen.get(id);
  }

  /** The client address of a session the guard admitted. */
  sourceOf(id: string): string | undefined {
    return this.#sources.get(id);
  }

  /** Deletes a half-open session on a shared store's word; the caller resets it. */
  evict(id: string): string {
    return this.#delete(id);
  }

  /** Counts a refusal decided by a shared store, for the statistics. */
  countRefusal(): void {
    this.#refused++;
  }

  /** This instance's part of the cluster's figures, which it publishes to a shared store. */
  share(): LocalShare {
    const hosts = new Map<string, number>();
    for (const [host, ids] of this.#byHost) hosts.set(host, ids.size);
    const sources = new Map<string, number>();
    for (const source of this.#sources.values())
      sources.set(source, (sources.get(source) ?? 0) + 1);
    return { halfOpen: this.#halfOpen.size, hosts, sources };
  }

  /** The session's greeting reached the client: it is no longer half-open. */
  established(id: string, now: number): void {
    this.#leaveHalfOpen(id);
    this.#calmDown(now);
  }

  /** The session has ended, in whatever state. */
  closed(id: string, now: number): void {
    this.#leaveHalfOpen(id);
    const source = this.#sources.get(id);
    if (source !== undefined) {
      this.#sources.delete(id);
      this.#store.sourceSessionClosed(source);
    }
    this.#calmDown(now);
  }

  /** Ends expired host blocks and calms down when the rate has fallen; called every second. */
  tick(now: number): void {
    for (const host of this.#store.blockedHosts()) {
      const until = this.#store.blockedUntil(host);
      if (until !== undefined && until <= now) {
        this.#store.unblockHost(host);
        this.#log(unblockHost({ host }));
      }
    }
    this.#calmDown(now);
  }

  #refusal(session: GuardedSession, now: number): RefusalReason | undefined {
    if (this.#store.blockedUntil(session.host) !== undefined) return "host-blocked";
    const { sourceMaxSessions, sourceOneMinute } = this.#settings;
    if (this.#store.sourceSessions(session.source) >= sourceMaxSessions) return "source-sessions";
    if (this.#store.sourceRate(session.source, now) >= sourceOneMinute) return "source-rate";
    return undefined;
  }

  #refuse(reason: RefusalReason, evict: string[]): AdmissionOutcome {
    this.#refused++;
    return { kind: "refuse", reason, evict };
  }

  // Above max-incomplete high (or one-minute high) the gateway turns aggressive and deletes
  // the oldest half-open session for every new one, until both fall below their lows.
  #globalEvictions(now: number): string[] {
    const { maxIncomplete, oneMinute } = this.#settings;
    const count = this.#halfOpen.size + 1;
    const rate = this.#store.oneMinuteRate(now);
    if (!this.#aggressive && (count > maxIncomplete.high || rate > oneMinute.high)) {
      this.#aggressive = true;
      this.#trigger = count > maxIncomplete.high ? "max-incomplete" : "one-minute";
      const [measured, high] =
        this.#trigger === "max-incomplete" ? [count, maxIncomplete.high] : [rate, oneMinute.high];
      this.#log(alertOn({ count: measured, high, rate }));
    }
    if (!this.#aggressive) return [];
    const oldest = this.#halfOpen.keys().next();
    return oldest.done === true ? [] : [this.#delete(oldest.value)];
  }

  // REFERENCE.md 2.3: block-time 0 deletes the host's oldest half-open session for each new
  // one; block-time M deletes them all and blocks new connections to the host for M minutes.
  #hostEvictions(host: string, now: number): { evict: string[]; blocked: boolean } {
    const { hostMaxIncomplete: limit, hostBlockMinutes: minutes } = this.#settings;
    const sessions = this.#hostSet(host);
    if (sessions.size + 1 <= limit) return { evict: [], blocked: false };

    if (!this.#hostsAlerted.has(host) || minutes > 0) this.#log(hostTcpAlertOn({ limit, host }));
    this.#hostsAlerted.add(host);
    if (minutes === 0) {
      const oldest = sessions.values().next();
      return { evict: oldest.done === true ? [] : [this.#delete(oldest.value)], blocked: false };
    }
    const evict = [...sessions].map((id) => this.#delete(id));
    this.#store.blockHost(host, now + minutes * this.#minuteMs);
    this.#log(blockHost({ host, minutes, limit }));
    return { evict, blocked: true };
  }

  #delete(id: string): string {
    this.#leaveHalfOpen(id, true);
    this.#deleted++;
    return id;
  }

  /** A deletion by the thresholds keeps the host's attack going; a session that ends or
   *  establishes on its own may end it, so that the alert comes once per attack. */
  #leaveHalfOpen(id: string, deleted = false): void {
    const session = this.#halfOpen.get(id);
    if (session === undefined) return;
    this.#halfOpen.delete(id);
    const sessions = this.#byHost.get(session.host);
    sessions?.delete(id);
    if (!deleted && (sessions?.size ?? 0) < this.#settings.hostMaxIncomplete) {
      this.#hostsAlerted.delete(session.host);
    }
    if (sessions?.size === 0) this.#byHost.delete(session.host);
  }

  #calmDown(now: number): void {
    if (!this.#aggressive) return;
    const { maxIncomplete, oneMinute } = this.#settings;
    const count = this.#halfOpen.size;
    const rate = this.#store.oneMinuteRate(now);
    if (count >= maxIncomplete.low || rate >= oneMinute.low) return;
    this.#aggressive = false;
    const [measured, low] =
      this.#trigger === "max-incomplete" ? [count, maxIncomplete.low] : [rate, oneMinute.low];
    this.#log(alertOff({ count: measured, low, rate }));
  }

  #hostSet(host: string): Set<string> {
    let sessions = this.#byHost.get(host);
    if (sessions === undefined) {
      sessions = new Set();
      this.#byHost.set(host, sessions);
    }
    return sessions;
  }
}
