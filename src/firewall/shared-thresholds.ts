import {
  alertOff,
  alertOn,
  blockHost,
  hostTcpAlertOn,
  stateStoreDown,
  stateStoreUp,
  unblockHost,
  type FwMessage,
} from "../log/catalogue.js";
import type {
  AdmissionOutcome,
  GuardedSession,
  HalfOpenGuard,
  LocalShare,
  ThresholdSettings,
} from "./half-open-guard.js";
import type {
  CalmDown,
  ClusterVerdict,
  ClusterView,
  HeartbeatReply,
  RedisThresholdStore,
} from "./redis-threshold-store.js";
import { publishSessions } from "./session-summary.js";
import type { SessionEntry } from "./session-table.js";

/** Ours: the longest a new connection waits for the cluster before local limits decide. */
export const ADMIT_TIMEOUT_MS = 50;

/** Ours: how often an instance renews its share (its heartbeat). */
export const HEARTBEAT_MS = 1_000;

/** Ours: failed heartbeats tolerated at start, while the first connection is being made. */
const JOIN_ATTEMPTS = 3;

/** Ours: a heartbeat or a `show` that takes longer than this finds the store down. */
const STORE_TIMEOUT_MS = 500;

export interface SharedThresholdsOptions {
  readonly store: RedisThresholdStore;
  /** The local guard: it tracks this instance's sessions, and decides while Redis is away. */
  readonly guard: HalfOpenGuard;
  /** Percent of every limit this instance keeps on its own while Redis is away. */
  readonly share: number;
  readonly log: (message: FwMessage) => void;
  /** This instance's sessions, published for `show ip inspect sessions cluster`. */
  readonly sessions: () => readonly SessionEntry[];
  /** Resets a half-open session the cluster's thresholds deleted. */
  readonly reset: (id: string) => void;
}

type StoreState = "joining" | "up" | "down";

/**
 * The thresholds of several instances as one firewall. While Redis answers, the cluster's
 * figures decide (ADMIT_SCRIPT) and the local guard only tracks; when it does not answer in
 * ADMIT_TIMEOUT_MS, the local guard decides with the limits scaled by `share`, until a
 * heartbeat succeeds again. A connection is never refused because Redis is slow.
 */
export class SharedThresholds {
  readonly #options: SharedThresholdsOptions;
  #settings: ThresholdSettings;
  #state: StoreState = "joining";
  /** Sessions whose admission is with Redis: counted in a heartbeat sent meanwhile. */
  readonly #pending = new Map<string, GuardedSession>();
  #timer: NodeJS.Timeout | undefined;
  #beating = false;
  #joinAttempts = 0;

  constructor(settings: ThresholdSettings, options: SharedThresholdsOptions) {
    this.#options = options;
    this.#settings = settings;
    options.guard.settings = scaled(settings, options.share);
  }

  set settings(settings: ThresholdSettings) {
    this.#settings = settings;
    this.#options.guard.settings = scaled(settings, this.#options.share);
  }

  get state(): StoreState {
    return this.#state;
  }

  start(): void {
    this.#options.store.connect();
    this.#timer = setInterval(() => {
      void this.#heartbeat();
    }, HEARTBEAT_MS);
    this.#timer.unref();
    void this.#heartbeat();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#options.store.close();
  }

  async admit(session: GuardedSession, now: number): Promise<AdmissionOutcome> {
    const { guard, store } = this.#options;
    if (this.#state !== "up") return guard.admit(session, now);

    this.#pending.set(session.id, session);
    const asked = store.admit(session, this.#settings, guard.oldestHalfOpen()?.host);
    void asked.then(
      () => this.#pending.delete(session.id),
      () => this.#pending.delete(session.id),
    );
    try {
      return this.#apply(session, await withTimeout(asked, ADMIT_TIMEOUT_MS));
    } catch {
      this.#goDown();
      return guard.admit(session, now);
    }
  }

  /** The session's greeting reached the client. */
  established(id: string, now: number): void {
    const host = this.#options.guard.halfOpenSession(id)?.host;
    this.#options.guard.established(id, now);
    if (host !== undefined) this.#release(host, undefined);
  }

  /** The session ended, in whatever state. */
  closed(id: string, now: number): void {
    const { guard } = this.#options;
    const host = guard.halfOpenSession(id)?.host;
    const source = guard.sourceOf(id);
    guard.closed(id, now);
    if (host !== undefined || source !== undefined) this.#release(host, source);
  }

  /** The cluster's figures for `show`; undefined when Redis does not answer. */
  async view(): Promise<ClusterView | undefined> {
    try {
      return await withTimeout(this.#options.store.view(), STORE_TIMEOUT_MS);
    } catch {
      return undefined;
    }
  }

  #apply(session: GuardedSession, verdict: ClusterVerdict): AdmissionOutcome {
    const { guard, log } = this.#options;
    if (verdict.alerted) log(this.#alertOn(verdict.alert));
    const evict = this.#evictions(session.host, verdict);
    const { hostMaxIncomplete: limit, hostBlockMinutes: minutes } = this.#settings;
    if (verdict.hostAlert) log(hostTcpAlertOn({ limit, host: session.host }));
    if (verdict.blocked) log(blockHost({ host: session.host, minutes, limit }));

    if (!verdict.admit) {
      guard.countRefusal();
      return { kind: "refuse", reason: verdict.reason ?? "half-open-full", evict };
    }
    guard.track(session);
    return { kind: "admit", evict };
  }

  #evictions(host: string, verdict: ClusterVerdict): string[] {
    const { guard } = this.#options;
    const evict: string[] = [];
    const oldest = verdict.evictOldest ? guard.oldestHalfOpen() : undefined;
    if (oldest !== undefined) evict.push(guard.evict(oldest.id));
    if (verdict.hostEvict === "all") {
      for (const id of guard.halfOpenTo(host)) evict.push(guard.evict(id));
    } else if (verdict.hostEvict === "oldest") {
      const oldestOfHost = guard.oldestHalfOpen(host);
      if (oldestOfHost !== undefined) evict.push(guard.evict(oldestOfHost.id));
    }
    return evict;
  }

  #alertOn(figures: ClusterVerdict["alert"]): FwMessage {
    const { maxIncomplete, oneMinute } = this.#settings;
    const byCount = figures.trigger === "max-incomplete";
    const count = byCount ? figures.halfOpen : figures.rate;
    return alertOn({
      count,
      high: byCount ? maxIncomplete.high : oneMinute.high,
      rate: figures.rate,
    });
  }

  #calmDown(calm: CalmDown | undefined): void {
    if (calm === undefined) return;
    const { maxIncomplete, oneMinute } = this.#settings;
    const byCount = calm.trigger === "max-incomplete";
    const count = byCount ? calm.halfOpen : calm.rate;
    this.#options.log(
      alertOff({ count, low: byCount ? maxIncomplete.low : oneMinute.low, rate: calm.rate }),
    );
  }

  // A release lost while Redis is away costs nothing lasting: the next heartbeat rewrites
  // this instance's whole share from its own tables.
  #release(host: string | undefined, source: string | undefined): void {
    if (this.#state !== "up") return;
    this.#options.store.release(host, source, this.#settings).then(
      (calm) => {
        this.#calmDown(calm);
      },
      () => undefined,
    );
  }

  async #heartbeat(): Promise<void> {
    if (this.#beating) return;
    this.#beating = true;
    const { store, guard, sessions } = this.#options;
    try {
      const share = withPending(guard.share(), this.#pending);
      const beat = store.heartbeat(share, publishSessions(sessions()), this.#settings);
      this.#onHeartbeat(await withTimeout(beat, STORE_TIMEOUT_MS));
    } catch {
      // At start the client may still be connecting: that is not yet an outage.
      if (this.#state !== "joining" || ++this.#joinAttempts >= JOIN_ATTEMPTS) this.#goDown();
    } finally {
      this.#beating = false;
    }
  }

  #onHeartbeat(reply: HeartbeatReply): void {
    const { log, guard, reset, store } = this.#options;
    if (this.#state === "down") log(stateStoreUp({ store: store.address }));
    this.#state = "up";
    this.#calmDown(reply.calmDown);
    for (const host of reply.unblocked) log(unblockHost({ host }));

    // A block made through another instance deletes this one's half-open sessions too.
    for (const host of reply.blocked) {
      for (const id of guard.halfOpenTo(host)) reset(guard.evict(id));
    }
  }

  #goDown(): void {
    if (this.#state === "down") return;
    this.#state = "down";
    const { log, store, share } = this.#options;
    log(stateStoreDown({ store: store.address, share }));
  }
}

/** The limits one instance keeps alone: `share` percent of each, at least one. */
export function scaled(settings: ThresholdSettings, share: number): ThresholdSettings {
  const part = (value: number): number =>
    Number.isFinite(value) ? Math.max(1, Math.ceil((value * share) / 100)) : value;
  return {
    ...settings,
    maxIncomplete: {
      high: part(settings.maxIncomplete.high),
      low: part(settings.maxIncomplete.low),
    },
    oneMinute: { high: part(settings.oneMinute.high), low: part(settings.oneMinute.low) },
    hostMaxIncomplete: part(settings.hostMaxIncomplete),
    sourceMaxSessions: part(settings.sourceMaxSessions),
    sourceOneMinute: part(settings.sourceOneMinute),
  };
}

/** The share with the sessions whose admission is still with Redis, as if admitted. */
function withPending(share: LocalShare, pending: ReadonlyMap<string, GuardedSession>): LocalShare {
  if (pending.size === 0) return share;
  const hosts = new Map(share.hosts);
  const sources = new Map(share.sources);
  for (const { host, source } of pending.values()) {
    hosts.set(host, (hosts.get(host) ?? 0) + 1);
    sources.set(source, (sources.get(source) ?? 0) + 1);
  }
  return { halfOpen: share.halfOpen + pending.size, hosts, sources };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no answer in ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
