import { createServer, type Server, type Socket } from "node:net";

import { SmtpguardError } from "../errors.js";
import {
  HalfOpenGuard,
  UNLIMITED_THRESHOLDS,
  type AdmissionOutcome,
  type GuardedSession,
  type GuardStatistics,
} from "../firewall/half-open-guard.js";
import type { ClusterView, RedisThresholdStore } from "../firewall/redis-threshold-store.js";
import { SharedThresholds } from "../firewall/shared-thresholds.js";
import { SessionTable, type SessionEntry } from "../firewall/session-table.js";
import { MemoryThresholdStore, type ThresholdStore } from "../firewall/threshold-store.js";
import type { InspectionEvent } from "../inspect/events.js";
import { accessListLog, type Endpoint, type FwMessage } from "../log/catalogue.js";
import type { GatewayPlan, ListenerPlan } from "./plan.js";
import { DEFAULT_PROXY_HEADER_TIMEOUT_MS, readProxyHeader } from "./proxy-header-reader.js";
import { GatewaySession } from "./session.js";

export interface GatewayOptions {
  readonly plan: GatewayPlan;
  readonly log: (message: FwMessage) => void;
  readonly now?: () => number;
  /** Inspector events of every session, for `debug ip inspect`. */
  readonly trace?: (entry: SessionEntry, event: InspectionEvent) => void;
  /** Where the thresholds keep their shared state; in memory by default. */
  readonly store?: ThresholdStore;
  /** The length of a minute in ms (one-minute window, block-time): 60000 but for tests. */
  readonly minuteMs?: number;
  /**
   * Ours: thresholds shared with other instances through Redis; `share` is the percent of
   * every limit this instance keeps when Redis does not answer.
   */
  readonly shared?: { readonly store: RedisThresholdStore; readonly share: number } | undefined;
  /**
   * Every inspector event of every session, always (metrics); with it the inspectors trace
   * commands all the time, so that commands can be counted by verb.
   */
  readonly observe?: (entry: SessionEntry, event: InspectionEvent) => void;
}

/** Ours: connections of trusted load balancers whose PROXY header is still awaited. */
export const MAX_PENDING_PROXY_HEADERS = 1024;

/** A listener that could not be opened, with the address it wanted. */
export class ListenError extends SmtpguardError {
  constructor(listen: Endpoint, cause: NodeJS.ErrnoException) {
    const why = cause.code ?? cause.message;
    super("SMTPGUARD_ERR_LISTEN", `cannot listen on ${listen.address}:${listen.port}: ${why}`, {
      cause,
    });
  }
}

/**
 * The running gateway: one listener per static translation of the plan, admission through
 * the ingress interface's access list, and a session per admitted connection.
 */
export class Gateway {
  readonly table = new SessionTable();
  /** Octets relayed by sessions that have ended; live ones count in their table entries. */
  readonly endedBytes = { initiator: 0, responder: 0 };
  readonly #options: GatewayOptions;
  readonly #now: () => number;
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #guard: HalfOpenGuard;
  readonly #shared: SharedThresholds | undefined;
  readonly #ticker: NodeJS.Timeout;
  /** Listeners by "address:port"; each reads its plan at accept time, so a new plan applies
   *  to new sessions while running ones keep the plan they started with. */
  readonly #listeners = new Map<string, { server: Server; plan: ListenerPlan }>();
  /** Sockets of trusted peers whose PROXY header is being read, not yet admitted. */
  readonly #awaitingHeader = new Set<Socket>();
  #plan: GatewayPlan;
  #tracing = false;
  #accepting = true;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#plan = options.plan;
    this.#now = options.now ?? Date.now;
    const minuteMs = options.minuteMs ?? 60_000;
    this.#guard = new HalfOpenGuard(options.plan.thresholds ?? UNLIMITED_THRESHOLDS, {
      store: options.store ?? new MemoryThresholdStore(minuteMs),
      log: options.log,
      minuteMs,
    });
    this.#shared = this.#sharedThresholds(options);
    // Host blocks end and "calming down" comes on time even when no connection arrives.
    this.#ticker = setInterval(() => {
      this.#guard.tick(this.#now());
    }, minuteMs / 60);
    this.#ticker.unref();
  }

  #sharedThresholds(options: GatewayOptions): SharedThresholds | undefined {
    if (options.shared === undefined) return undefined;
    return new SharedThresholds(options.plan.thresholds ?? UNLIMITED_THRESHOLDS, {
      ...options.shared,
      guard: this.#guard,
      log: options.log,
      sessions: () => this.table.list(),
      reset: (id) => this.#sessions.get(id)?.reset("half-open-deleted"),
    });
  }

  get plan(): GatewayPlan {
    return this.#plan;
  }

  /** The addresses actually bound, in plan order (a port 0 in the plan becomes a real one). */
  get listening(): Endpoint[] {
    return [...this.#listeners.values()].map(({ server }) => {
      const address = server.address();
      if (address === null || typeof address === "string") return { address: "", port: 0 };
      return { address: address.address, port: address.port };
    });
  }

  /** The thresholds' live figures, for `show ip inspect statistics`. */
  get thresholdStatistics(): GuardStatistics {
    return this.#guard.statistics(this.#now());
  }

  /** Thresholds are shared with other instances through a state store. */
  get shared(): boolean {
    return this.#shared !== undefined;
  }

  /** The cluster's figures when thresholds are shared; undefined alone or when Redis is away. */
  async clusterView(): Promise<ClusterView | undefined> {
    return this.#shared === undefined ? undefined : await this.#shared.view();
  }

  /** Sessions now in the table, for `show` and the tests. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Turns the parser trace on or off, for running sessions and new ones. */
  set tracing(on: boolean) {
    this.#tracing = on;
    for (const session of this.#sessions.values()) session.tracing = this.#traceWanted;
  }

  async start(): Promise<void> {
    this.#shared?.start();
    await this.applyPlan(this.#plan);
  }

  /**
   * Puts a new plan in force (`configure terminal`, a reload): listeners the plan no longer
   * has are closed, new ones opened, and the rest take the new plan for their next session.
   * Running sessions keep the plan they started with.
   */
  async applyPlan(plan: GatewayPlan): Promise<void> {
    const wanted = new Map(plan.listeners.map((listener) => [keyOf(listener.listen), listener]));
    for (const [key, listener] of this.#listeners) {
      const next = wanted.get(key);
      if (next === undefined) {
        this.#listeners.delete(key);
        // It stops accepting at once. Its close completes only when the sessions it accepted
        // have ended, which may take hours: not something `configure terminal` can wait for.
        listener.server.close();
      } else {
        listener.plan = next;
      }
    }
    for (const [key, listener] of wanted) {
      if (!this.#listeners.has(key)) await this.#listen(key, listener);
    }
    this.#plan = plan;
    if (this.#shared === undefined) this.#guard.settings = plan.thresholds ?? UNLIMITED_THRESHOLDS;
    else this.#shared.settings = plan.thresholds ?? UNLIMITED_THRESHOLDS;
  }

  /** Stops accepting and resets every session. */
  async stop(): Promise<void> {
    this.#accepting = false;
    const closing = [...this.#listeners.values()].map(({ server }) => closeServer(server));
    this.#listeners.clear();
    clearInterval(this.#ticker);
    for (const socket of this.#awaitingHeader) socket.resetAndDestroy();
    this.#awaitingHeader.clear();
    for (const session of this.#sessions.values()) session.reset("shutdown");
    await Promise.all(closing);
    await this.#shared?.stop();
  }

  /**
   * SIGTERM: stops accepting at once, lets running sessions finish for `graceMs`, then resets
   * the rest. Every session writes its audit trail as it leaves, reset or not.
   */
  async drain(graceMs: number): Promise<void> {
    this.#accepting = false;
    const closing = [...this.#listeners.values()].map(({ server }) => closeServer(server));
    this.#listeners.clear();
    await this.#sessionsGone(graceMs);
    await this.stop();
    await Promise.all(closing);
  }

  #sessionsGone(limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = Date.now() + limitMs;
      const check = (): void => {
        if (this.#sessions.size === 0 || Date.now() >= deadline) resolve();
        else setTimeout(check, Math.min(DRAIN_POLL_MS, deadline - Date.now()));
      };
      check();
    });
  }

  /** `clear ip inspect session ID`: true when the session existed. */
  clearSession(id: string): boolean {
    const session = this.#sessions.get(id.toUpperCase());
    session?.reset("cleared");
    return session !== undefined;
  }

  #listen(key: string, listener: ListenerPlan): Promise<void> {
    const entry = {
      // noDelay: SMTP is short lines both ways (see the session); set here, it costs no call.
      server: createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }),
      plan: listener,
    };
    entry.server.on("connection", (socket: Socket) => {
      this.#accept(socket, entry.plan);
    });
    return new Promise((resolve, reject) => {
      entry.server.once("error", (error: NodeJS.ErrnoException) => {
        reject(new ListenError(listener.listen, error));
      });
      entry.server.listen({ host: listener.listen.address, port: listener.listen.port }, () => {
        this.#listeners.set(key, entry);
        resolve();
      });
    });
  }

  /** The debug trace and the observer, as one callback for the sessions. */
  #traceTo(): ((entry: SessionEntry, event: InspectionEvent) => void) | undefined {
    const { trace, observe } = this.#options;
    if (observe === undefined) return trace;
    if (trace === undefined) return observe;
    return (entry, event) => {
      observe(entry, event);
      trace(entry, event);
    };
  }

  get #traceWanted(): boolean {
    return this.#tracing || this.#options.observe !== undefined;
  }

  #accept(socket: Socket, listener: ListenerPlan): void {
    const initiator = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
    // The listener's own port, unless it was an ephemeral one: no getsockname per connection.
    const port = listener.listen.port !== 0 ? listener.listen.port : (socket.localPort ?? 0);
    const responder = { address: listener.listen.address, port };
    socket.on("error", () => {
      // Errors of an admitted socket are the session's; before that, nothing to do.
    });
    if (!this.#accepting) {
      socket.resetAndDestroy();
      return;
    }
    if (listener.proxyTrusted?.(initiator) === true) {
      this.#acceptProxied(socket, listener, responder);
      return;
    }
    void this.#admit(socket, listener, initiator, responder);
  }

  /**
   * A trusted load balancer speaks first: its PROXY header names the real client, which the
   * access list, the thresholds, the table and the logs then see. A bad header is a reset.
   */
  #acceptProxied(socket: Socket, listener: ListenerPlan, responder: Endpoint): void {
    if (this.#awaitingHeader.size >= MAX_PENDING_PROXY_HEADERS) {
      socket.resetAndDestroy();
      return;
    }
    this.#awaitingHeader.add(socket);
    const seconds = this.#plan.proxyHeaderTimeoutSeconds;
    const timeoutMs = seconds === undefined ? DEFAULT_PROXY_HEADER_TIMEOUT_MS : seconds * 1000;
    void readProxyHeader(socket, timeoutMs).then((result) => {
      if (!this.#awaitingHeader.delete(socket)) return;
      if (result.kind === "failed" || !this.#accepting) {
        socket.resetAndDestroy();
        return;
      }
      // The responder stays the listener's own address: that is what the access list names.
      const peer = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
      void this.#admit(socket, listener, result.header.source ?? peer, responder);
    });
  }

  async #admit(
    socket: Socket,
    listener: ListenerPlan,
    initiator: Endpoint,
    responder: Endpoint,
  ): Promise<void> {
    const verdict = listener.admit(initiator, responder);
    if (verdict.action === "deny" || this.table.full) {
      if (verdict.log && verdict.list !== undefined) {
        this.#options.log(
          accessListLog({ list: verdict.list, action: "denied", initiator, responder }),
        );
      }
      socket.resetAndDestroy();
      return;
    }

    const id = this.table.newId();
    const guarded = { id, host: responder.address, source: initiator.address };
    const outcome = await this.#thresholdsAdmit(guarded);
    for (const evicted of outcome.evict) this.#sessions.get(evicted)?.reset("half-open-deleted");
    if (outcome.kind === "refuse") {
      socket.resetAndDestroy();
      return;
    }
    // The cluster's answer takes a round trip, in which the client may have gone.
    if (socket.destroyed || !this.#accepting) {
      this.#thresholdsClosed(id);
      socket.resetAndDestroy();
      return;
    }

    const now = this.#now();
    const entry = this.table.add(
      {
        initiator,
        responder,
        protocol: listener.protocol,
        ruleName: listener.ruleName,
        interfaceName: listener.interfaceName,
        createdAt: now,
        lastHeardAt: now,
      },
      id,
    );
    const session = new GatewaySession(socket, entry, listener, {
      table: this.table,
      log: this.#options.log,
      hostname: this.#plan.hostname,
      synwaitMs: this.#plan.synwaitSeconds * 1000,
      finwaitMs: this.#plan.finwaitSeconds * 1000,
      now: this.#now,
      trace: this.#traceTo(),
      tracing: () => this.#traceWanted,
      established: (established) => {
        if (this.#shared === undefined) this.#guard.established(established.entry.id, this.#now());
        else this.#shared.established(established.entry.id, this.#now());
      },
      ended: (ended) => {
        this.#sessions.delete(ended.entry.id);
        this.endedBytes.initiator += ended.entry.initiatorBytes;
        this.endedBytes.responder += ended.entry.responderBytes;
        this.#thresholdsClosed(ended.entry.id);
      },
    });
    this.#sessions.set(id, session);
    session.start();
  }

  /** Alone the guard decides at once; sharing, the cluster decides (or, if slow, the guard). */
  async #thresholdsAdmit(session: GuardedSession): Promise<AdmissionOutcome> {
    if (this.#shared === undefined) return this.#guard.admit(session, this.#now());
    return await this.#shared.admit(session, this.#now());
  }

  #thresholdsClosed(id: string): void {
    if (this.#shared === undefined) this.#guard.closed(id, this.#now());
    else this.#shared.closed(id, this.#now());
  }
}

/** How often `drain` looks whether the last session has gone. */
const DRAIN_POLL_MS = 50;

function keyOf(endpoint: Endpoint): string {
  return `${endpoint.address}:${endpoint.port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}
