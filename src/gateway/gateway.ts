import { createServer, type Server, type Socket } from "node:net";

import { SmtpguardError } from "../errors.js";
import {
  HalfOpenGuard,
  type GuardStatistics,
  type ThresholdSettings,
} from "../firewall/half-open-guard.js";
import { SessionTable, type SessionEntry } from "../firewall/session-table.js";
import { MemoryThresholdStore, type ThresholdStore } from "../firewall/threshold-store.js";
import type { InspectionEvent } from "../inspect/events.js";
import { accessListLog, type Endpoint, type FwMessage } from "../log/catalogue.js";
import type { GatewayPlan, ListenerPlan } from "./plan.js";
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
}

/** No thresholds at all: what a plan without them means. */
const UNLIMITED: ThresholdSettings = {
  maxIncomplete: { high: Infinity, low: Infinity },
  oneMinute: { high: Infinity, low: Infinity },
  hostMaxIncomplete: Infinity,
  hostBlockMinutes: 0,
  sourceMaxSessions: Infinity,
  sourceOneMinute: Infinity,
};

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
  readonly #options: GatewayOptions;
  readonly #now: () => number;
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #guard: HalfOpenGuard;
  readonly #ticker: NodeJS.Timeout;
  /** Listeners by "address:port"; each reads its plan at accept time, so a new plan applies
   *  to new sessions while running ones keep the plan they started with. */
  readonly #listeners = new Map<string, { server: Server; plan: ListenerPlan }>();
  #plan: GatewayPlan;
  #tracing = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#plan = options.plan;
    this.#now = options.now ?? Date.now;
    const minuteMs = options.minuteMs ?? 60_000;
    this.#guard = new HalfOpenGuard(options.plan.thresholds ?? UNLIMITED, {
      store: options.store ?? new MemoryThresholdStore(minuteMs),
      log: options.log,
      minuteMs,
    });
    // Host blocks end and "calming down" comes on time even when no connection arrives.
    this.#ticker = setInterval(() => {
      this.#guard.tick(this.#now());
    }, minuteMs / 60);
    this.#ticker.unref();
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

  /** Sessions now in the table, for `show` and the tests. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Turns the parser trace on or off, for running sessions and new ones. */
  set tracing(on: boolean) {
    this.#tracing = on;
    for (const session of this.#sessions.values()) session.tracing = on;
  }

  async start(): Promise<void> {
    await this.applyPlan(this.#plan);
  }

  /**
   * Puts a new plan in force (`configure terminal`, a reload): listeners the plan no longer
   * has are closed, new ones opened, and the rest take the new plan for their next session.
   * Running sessions keep the plan they started with.
   */
  async applyPlan(plan: GatewayPlan): Promise<void> {
    const wanted = new Map(plan.listeners.map((listener) => [keyOf(listener.listen), listener]));
    const closing: Promise<void>[] = [];
    for (const [key, listener] of this.#listeners) {
      const next = wanted.get(key);
      if (next === undefined) {
        this.#listeners.delete(key);
        closing.push(closeServer(listener.server));
      } else {
        listener.plan = next;
      }
    }
    for (const [key, listener] of wanted) {
      if (!this.#listeners.has(key)) await this.#listen(key, listener);
    }
    this.#plan = plan;
    this.#guard.settings = plan.thresholds ?? UNLIMITED;
    await Promise.all(closing);
  }

  /** Stops accepting and resets every session. */
  async stop(): Promise<void> {
    const closing = [...this.#listeners.values()].map(({ server }) => closeServer(server));
    this.#listeners.clear();
    clearInterval(this.#ticker);
    for (const session of this.#sessions.values()) session.reset("shutdown");
    await Promise.all(closing);
  }

  /** `clear ip inspect session ID`: true when the session existed. */
  clearSession(id: string): boolean {
    const session = this.#sessions.get(id.toUpperCase());
    session?.reset("cleared");
    return session !== undefined;
  }

  #listen(key: string, listener: ListenerPlan): Promise<void> {
    const entry = {
      server: createServer({ pauseOnConnect: true, allowHalfOpen: true }),
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

  #accept(socket: Socket, listener: ListenerPlan): void {
    const initiator = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
    const responder = { address: listener.listen.address, port: socket.localPort ?? 0 };
    socket.on("error", () => {
      // Errors of an admitted socket are the session's; before that, nothing to do.
    });

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

    const now = this.#now();
    const id = this.table.newId();
    const outcome = this.#guard.admit(
      { id, host: responder.address, source: initiator.address },
      now,
    );
    for (const evicted of outcome.evict) this.#sessions.get(evicted)?.reset("half-open-deleted");
    if (outcome.kind === "refuse") {
      socket.resetAndDestroy();
      return;
    }

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
      trace: this.#options.trace,
      tracing: () => this.#tracing,
      established: (established) => {
        this.#guard.established(established.entry.id, this.#now());
      },
      ended: (ended) => {
        this.#sessions.delete(ended.entry.id);
        this.#guard.closed(ended.entry.id, this.#now());
      },
    });
    this.#sessions.set(id, session);
    session.start();
  }
}

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
