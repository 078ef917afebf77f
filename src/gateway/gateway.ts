import { createServer, type Server, type Socket } from "node:net";

import { SmtpguardError } from "../errors.js";
import { SessionTable, type SessionEntry } from "../firewall/session-table.js";
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
}

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
  readonly #sessions = new Set<GatewaySession>();
  readonly #servers: Server[] = [];
  #plan: GatewayPlan;
  #tracing = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#plan = options.plan;
    this.#now = options.now ?? Date.now;
  }

  get plan(): GatewayPlan {
    return this.#plan;
  }

  /** The addresses actually bound, in plan order (a port 0 in the plan becomes a real one). */
  get listening(): Endpoint[] {
    return this.#servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === "string") return { address: "", port: 0 };
      return { address: address.address, port: address.port };
    });
  }

  /** Turns the parser trace on or off, for running sessions and new ones. */
  set tracing(on: boolean) {
    this.#tracing = on;
    for (const session of this.#sessions) session.tracing = on;
  }

  async start(): Promise<void> {
    for (const listener of this.#plan.listeners) {
      this.#servers.push(await this.#listen(listener));
    }
  }

  /** Stops accepting and resets every session. */
  async stop(): Promise<void> {
    const closing = this.#servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        }),
    );
    this.#servers.length = 0;
    for (const session of this.#sessions) session.reset("shutdown");
    await Promise.all(closing);
  }

  /** `clear ip inspect session ID`: true when the session existed. */
  clearSession(id: string): boolean {
    for (const session of this.#sessions) {
      if (session.entry.id === id.toUpperCase()) {
        session.reset("cleared");
        return true;
      }
    }
    return false;
  }

  #listen(listener: ListenerPlan): Promise<Server> {
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
      this.#accept(socket, listener);
    });
    return new Promise((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        reject(new ListenError(listener.listen, error));
      });
      server.listen({ host: listener.listen.address, port: listener.listen.port }, () => {
        resolve(server);
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
    const entry = this.table.add({
      initiator,
      responder,
      protocol: listener.protocol,
      ruleName: listener.ruleName,
      interfaceName: listener.interfaceName,
      createdAt: now,
      lastHeardAt: now,
    });
    const session = new GatewaySession(socket, entry, listener, {
      table: this.table,
      log: this.#options.log,
      hostname: this.#plan.hostname,
      synwaitMs: this.#plan.synwaitSeconds * 1000,
      finwaitMs: this.#plan.finwaitSeconds * 1000,
      now: this.#now,
      trace: this.#options.trace,
      tracing: () => this.#tracing,
      ended: (ended) => {
        this.#sessions.delete(ended);
      },
    });
    this.#sessions.add(session);
    session.start();
  }
}
