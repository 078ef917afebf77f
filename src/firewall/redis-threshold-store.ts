import { createHash } from "node:crypto";

import { createClient } from "redis";

import { ADMIT_SCRIPT, HEARTBEAT_SCRIPT, RELEASE_SCRIPT, VIEW_SCRIPT } from "./cluster-scripts.js";
import type { LocalShare, RefusalReason, ThresholdSettings } from "./half-open-guard.js";

/** Ours: an instance whose heartbeat is this late is gone, and its share with it. */
export const INSTANCE_LIVE_MS = 3_000;

/** Ours: how long to wait for a connection to Redis before trying again. */
const CONNECT_TIMEOUT_MS = 1_000;

/** Ours: the longest pause between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export interface RedisStoreOptions {
  readonly url: string;
  readonly prefix: string;
  readonly instance: string;
  /** The length of a minute in ms (one-minute window, block-time): 60000 but for tests. */
  readonly minuteMs: number;
}

/** What the cluster decided of one new session. */
export interface ClusterVerdict {
  readonly admit: boolean;
  readonly reason: RefusalReason | undefined;
  /** Delete this instance's oldest half-open session. */
  readonly evictOldest: boolean;
  /** Delete the oldest, or all, of this instance's half-open sessions to the host. */
  readonly hostEvict: "none" | "oldest" | "all";
  /** This call made the cluster aggressive: log ALERT_ON with these figures. */
  readonly alert: { readonly trigger: string; readonly halfOpen: number; readonly rate: number };
  readonly alerted: boolean;
  /** This call crossed the host limit first: log HOST_TCP_ALERT_ON. */
  readonly hostAlert: boolean;
  /** This call blocked the host: log BLOCK_HOST. */
  readonly blocked: boolean;
}

/** The cluster calmed down on this call: log ALERT_OFF with these figures. */
export interface CalmDown {
  readonly trigger: string;
  readonly halfOpen: number;
  readonly rate: number;
}

export interface HeartbeatReply {
  readonly calmDown: CalmDown | undefined;
  /** Blocks that ended, each reported to one instance only: it logs UNBLOCK_HOST. */
  readonly unblocked: readonly string[];
  readonly blocked: readonly string[];
}

export interface InstanceView {
  readonly name: string;
  readonly halfOpen: number;
  /** The session list the instance published (JSON), "" when none. */
  readonly sessions: string;
}

export interface ClusterView {
  readonly instances: readonly InstanceView[];
  readonly oneMinuteRate: number;
  readonly blockedHosts: readonly string[];
  readonly aggressive: boolean;
}

interface Script {
  readonly text: string;
  readonly sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash("sha1").update(text).digest("hex") };
}

const SCRIPTS = {
  admit: script(ADMIT_SCRIPT),
  release: script(RELEASE_SCRIPT),
  heartbeat: script(HEARTBEAT_SCRIPT),
  view: script(VIEW_SCRIPT),
} as const;

/** Redis's word for an unlimited threshold in the scripts. */
function limit(value: number): string {
  return Number.isFinite(value) ? String(value) : "-1";
}

/**
 * The thresholds' shared state in Redis: one client, the scripts, and the translation of their
 * replies. It decides nothing itself; SharedThresholds does, with its timeouts and fallback.
 */
export class RedisThresholdStore {
  readonly #options: RedisStoreOptions;
  readonly #client;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#options = options;
    this.#client = createClient({
      url: options.url,
      // A command while Redis is away fails at once: admission must never queue behind it.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries: number) =>
          Math.min(100 * (retries + 1), MAX_RECONNECT_DELAY_MS),
      },
    });
    this.#client.on("error", () => {
      // Reported through the heartbeat's failures (STATE_STORE_DOWN), once, not per attempt.
    });
  }

  get instance(): string {
    return this.#options.instance;
  }

  /** Where the store is, without any credentials the URL may carry. */
  get address(): string {
    const url = new URL(this.#options.url);
    return `${url.hostname}:${url.port === "" ? "6379" : url.port}`;
  }

  get ready(): boolean {
    return this.#client.isReady;
  }

  /** Starts connecting; the client reconnects by itself from then on. */
  connect(): void {
    if (this.#closed || this.#client.isOpen) return;
    this.#client.connect().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#client.isOpen) this.#client.destroy();
    await Promise.resolve();
  }

  async admit(
    session: { readonly host: string; readonly source: string },
    settings: ThresholdSettings,
    oldestHost: string | undefined,
  ): Promise<ClusterVerdict> {
    const minuteMs = this.#options.minuteMs;
    const reply = await this.#run(SCRIPTS.admit, [
      session.host,
      session.source,
      String(minuteMs / 60),
      String(INSTANCE_LIVE_MS),
      limit(settings.maxIncomplete.high),
      limit(settings.oneMinute.high),
      limit(settings.hostMaxIncomplete),
      String(settings.hostBlockMinutes * minuteMs),
      limit(settings.sourceMaxSessions),
      limit(settings.sourceOneMinute),
      oldestHost ?? "",
      String(minuteMs),
    ]);
    return verdictOf(reply);
  }

  async release(
    halfOpenHost: string | undefined,
    source: string | undefined,
    settings: ThresholdSettings,
  ): Promise<CalmDown | undefined> {
    const reply = await this.#run(SCRIPTS.release, [
      halfOpenHost ?? "",
      source ?? "",
      String(this.#options.minuteMs / 60),
      limit(settings.maxIncomplete.low),
      limit(settings.oneMinute.low),
    ]);
    return calmDownOf(reply);
  }

  async heartbeat(
    share: LocalShare,
    sessions: string,
    settings: ThresholdSettings,
  ): Promise<HeartbeatReply> {
    const fields = [`halfopen`, String(share.halfOpen)];
    for (const [host, count] of share.hosts) fields.push(`h:${host}`, String(count));
    for (const [source, count] of share.sources) fields.push(`s:${source}`, String(count));
    const reply = await this.#run(SCRIPTS.heartbeat, [
      String(INSTANCE_LIVE_MS),
      String(this.#options.minuteMs / 60),
      limit(settings.maxIncomplete.low),
      limit(settings.oneMinute.low),
      sessions,
      ...fields,
    ]);
    const [calm, unblocked, blocked] = asArray(reply);
    return {
      calmDown: calmDownOf(calm),
      unblocked: asArray(unblocked).map(String),
      blocked: asArray(blocked).map(String),
    };
  }

  async view(): Promise<ClusterView> {
    const reply = await this.#run(SCRIPTS.view, [String(this.#options.minuteMs / 60)]);
    const [rows, rate, blocked, aggressive] = asArray(reply);
    const instances = asArray(rows).map((row) => {
      const [name, halfOpen, sessions] = asArray(row);
      return { name: String(name), halfOpen: Number(halfOpen), sessions: String(sessions) };
    });
    return {
      instances,
      oneMinuteRate: Number(rate),
      blockedHosts: asArray(blocked).map(String),
      aggressive: String(aggressive) !== "",
    };
  }

  // EVALSHA first: the script text crosses the wire only after a Redis restart forgot it.
  async #run(which: Script, args: readonly string[]): Promise<unknown> {
    const argv = [this.#options.prefix, this.#options.instance, ...args];
    try {
      return await this.#client.sendCommand(["EVALSHA", which.sha, "0", ...argv]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await this.#client.sendCommand(["EVAL", which.text, "0", ...argv]);
    }
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function verdictOf(reply: unknown): ClusterVerdict {
  const [
    verdict,
    reason,
    evictOldest,
    hostEvict,
    alert,
    trigger,
    halfOpen,
    rate,
    hostAlert,
    blocked,
  ] = asArray(reply);
  const evict = String(hostEvict);
  return {
    admit: String(verdict) === "admit",
    reason: String(verdict) === "admit" ? undefined : (String(reason) as RefusalReason),
    evictOldest: Number(evictOldest) === 1,
    hostEvict: evict === "oldest" || evict === "all" ? evict : "none",
    alerted: Number(alert) === 1,
    alert: { trigger: String(trigger), halfOpen: Number(halfOpen), rate: Number(rate) },
    hostAlert: Number(hostAlert) === 1,
    blocked: Number(blocked) === 1,
  };
}

function calmDownOf(reply: unknown): CalmDown | undefined {
  const [trigger, halfOpen, rate] = asArray(reply);
  if (typeof trigger !== "string") return undefined;
  return { trigger, halfOpen: Number(halfOpen), rate: Number(rate) };
}
