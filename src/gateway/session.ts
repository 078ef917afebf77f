import { Socket } from "node:net";

import type { SessionEntry, SessionTable } from "../firewall/session-table.js";
import type { InspectionEvent, ResetReason } from "../inspect/events.js";
import { Inspector } from "../inspect/inspector.js";
import {
  serverUnreachable,
  xclientRefused,
  sessAuditTrail,
  sessAuditTrailStart,
  type Endpoint,
  type FwMessage,
} from "../log/catalogue.js";
import { messageForEvent } from "../log/inspection-messages.js";
import type { ListenerPlan } from "./plan.js";
import { encodeProxyHeader } from "./proxy-header-encoder.js";
import { attach, detach, ignore, resetSocket } from "./socket-events.js";
import { upgradeLegs } from "./tls-upgrade.js";
import { XclientHandshake } from "./xclient.js";

/** Client octets queued while TLS is being started on both legs. */
const MAX_HANDSHAKE_QUEUE_OCTETS = 65_536;

/** What every session shares with the gateway around it. */
export interface SessionServices {
  readonly table: SessionTable;
  readonly log: (message: FwMessage) => void;
  readonly hostname: string;
  readonly synwaitMs: number;
  readonly finwaitMs: number;
  readonly now: () => number;
  /** Inspector events for `debug ip inspect`, while a console asks for them. */
  readonly trace?: ((entry: SessionEntry, event: InspectionEvent) => void) | undefined;
  readonly tracing?: (() => boolean) | undefined;
  /** Called once when the session stops being half-open (its greeting reached the client). */
  readonly established?: ((session: GatewaySession) => void) | undefined;
  /** Called once when the session has left the table. */
  readonly ended: (session: GatewaySession) => void;
}

/** Why a session ended, for the diagnostics and the tests. */
export type EndReason =
  | "closed"
  | "synwait"
  | "idle"
  | "finwait"
  | "unreachable"
  | "cleared"
  | "shutdown"
  | "peer-error"
  | "half-open-deleted"
  | ResetReason;

type Phase = "connecting" | "open" | "closing" | "ended";

/**
 * One relayed connection: the client socket, the upstream socket, the timers and the
 * inspector between them. The session carries out the inspector's actions and keeps
 * backpressure both ways, so a slow reader never makes it buffer without bound.
 */
export class GatewaySession {
  readonly entry: SessionEntry;
  #client: Socket;
  #server: Socket;
  /** TLS is being started on both legs: client data waits in `#handshakeQueue`. */
  #handshaking = false;
  #tlsPending = false;
  #handshakeQueue: Buffer[] = [];
  /** Postfix's XCLIENT exchange, between the server's greeting and the client's first byte. */
  #xclient: XclientHandshake | undefined;
  #handshakeOctets = 0;
  readonly #plan: ListenerPlan;
  readonly #services: SessionServices;
  readonly #inspector: Inspector | undefined;
  #phase: Phase = "connecting";
  #timer: NodeJS.Timeout | undefined;
  #upstreamReady = false;
  #serverBlocked = false;
  #clientBlocked = false;
  #clientPausedNow = true;
  #serverPausedNow = false;
  #clientEnded = false;
  #endReason: EndReason = "closed";
  #closedSockets = 0;

  constructor(client: Socket, entry: SessionEntry, plan: ListenerPlan, services: SessionServices) {
    this.#client = client;
    this.entry = entry;
    this.#plan = plan;
    this.#services = services;
    // Half-closes are honoured: a client's FIN is passed on and the server may still answer.
    this.#server = new Socket({ allowHalfOpen: true });
    // SMTP is a conversation of short lines: Nagle's algorithm against the peer's delayed
    // ACK would hold each reply back by tens of milliseconds. (The client's socket comes from
    // a server created with noDelay; this one is asked for it at connect.)
    this.#inspector =
      plan.policy === undefined
        ? undefined
        : new Inspector(plan.policy, {
            toServer: (bytes) => {
              this.#writeServer(bytes);
            },
            toClient: (bytes) => {
              this.#writeClient(bytes);
            },
            reset: (reason) => {
              this.reset(reason);
            },
            event: (event) => {
              this.#onInspectorEvent(event);
            },
          });
    if (this.#inspector !== undefined) this.#inspector.tracing = services.tracing?.() ?? false;
  }

  get endReason(): EndReason {
    return this.#endReason;
  }

  /** Turns the parser trace on or off for `debug ip inspect`. */
  set tracing(on: boolean) {
    if (this.#inspector !== undefined) this.#inspector.tracing = on;
  }

  start(): void {
    if (this.#plan.auditTrail) {
      this.#services.log(sessAuditTrailStart({ protocol: this.#plan.protocol, ...this.#ends() }));
    }
    this.#armTimer(this.#services.synwaitMs, "synwait");
    this.#wireClient();
    this.#wireServer();
    this.#server.connect({
      host: this.#plan.upstream.address,
      port: this.#plan.upstream.port,
      noDelay: true,
    });
  }

  /** Ends the session at once, both sides reset (`clear ip inspect session`, shutdown). */
  reset(reason: EndReason): void {
    if (this.#phase === "ended") return;
    this.#endReason = reason;
    this.#phase = "ended";
    this.#clearTimer();
    resetSocket(this.#client);
    resetSocket(this.#server);
  }

  readonly #clientHandlers = {
    data: (chunk: Buffer): void => {
      this.#heard();
      if (this.#handshaking) {
        this.#queueDuringHandshake(chunk);
        return;
      }
      if (this.#inspector === undefined) this.#writeServer(chunk);
      else this.#inspector.feedClient(chunk, this.#services.now());
      this.#updateFlow();
    },
    end: (): void => {
      this.#clientEnded = true;
      if (this.#upstreamReady) this.#server.end();
      this.#halfClosed();
    },
    drain: (): void => {
      this.#clientBlocked = false;
      this.#updateFlow();
    },
    error: (): void => {
      this.#peerError();
    },
    close: (): void => {
      this.#socketClosed();
    },
  };

  #wireClient(): void {
    attach(this.#client, this.#clientHandlers);
  }

  readonly #serverHandlers = {
    data: (chunk: Buffer): void => {
      this.#heard();
      const bytes = this.#xclient === undefined ? chunk : this.#xclientBytes(chunk);
      if (bytes === undefined) return;
      if (this.#inspector === undefined) this.#writeClient(bytes);
      else this.#inspector.feedServer(bytes, this.#services.now());
      // The 220 to STARTTLS has been written in plaintext: now both legs may start TLS.
      if (this.#tlsPending) this.#startTls();
      this.#updateFlow();
    },
    end: (): void => {
      this.#client.end();
      this.#halfClosed();
    },
    drain: (): void => {
      this.#serverBlocked = false;
      this.#updateFlow();
    },
    error: (error: NodeJS.ErrnoException): void => {
      if (this.#upstreamReady) this.#peerError();
      else this.#unreachable(error.code ?? error.message);
    },
    close: (): void => {
      this.#socketClosed();
    },
  };

  #wireServer(): void {
    const server = this.#server;
    server.on("connect", () => {
      this.#upstreamReady = true;
      this.#heard();
      // The server learns who the client is before any byte of the client's.
      if (this.#plan.proxyToServer !== undefined) {
        const { initiator, responder } = this.entry;
        server.write(encodeProxyHeader(this.#plan.proxyToServer, initiator, responder));
      }
      if (this.#plan.xclient === true && this.#inspector !== undefined) {
        const write = (bytes: Buffer): void => {
          server.write(bytes);
        };
        this.#xclient = new XclientHandshake(write, this.entry.initiator, this.#services.hostname);
      }
      // A tcp rule has no greeting to wait for: the connection is established now.
      if (this.#inspector === undefined) this.#established();
      if (this.#clientEnded) server.end();
      this.#updateFlow();
    });
    attach(server, this.#serverHandlers);
  }

  /** Server bytes during XCLIENT; once it is over, the greeting the client is to see. */
  #xclientBytes(chunk: Buffer): Buffer | undefined {
    const outcome = this.#xclient?.feed(chunk);
    if (outcome === undefined || outcome.kind === "more") return undefined;
    this.#xclient = undefined;
    if (outcome.kind === "failed") {
      this.#services.log(xclientRefused({ ...this.#ends(), reason: outcome.reason }));
      this.reset("peer-error");
      return undefined;
    }
    if (!outcome.accepted) {
      this.#services.log(xclientRefused({ ...this.#ends(), reason: "not offered or refused" }));
    }
    return outcome.greeting;
  }

  // RFC 3207 with `terminate-tls`: both legs start TLS, the client's with the gateway's own
  // certificate; the inspector goes on inside once both handshakes are done.
  #startTls(): void {
    this.#tlsPending = false;
    const credentials = this.#plan.tls;
    if (credentials === undefined) {
      this.reset("policy");
      return;
    }
    const rawClient = this.#client;
    const rawServer = this.#server;
    detach(rawClient, this.#clientHandlers);
    detach(rawServer, this.#serverHandlers);
    rawClient.on("error", ignore);
    rawServer.on("error", ignore);
    const legs = upgradeLegs(rawClient, rawServer, credentials);
    this.#client = legs.client;
    this.#server = legs.server;
    this.#handshaking = true;
    attach(legs.client, this.#clientHandlers);
    attach(legs.server, this.#serverHandlers);
    legs.ready.then(
      () => {
        this.#tlsEstablished();
      },
      () => {
        this.#peerError();
      },
    );
  }

  #tlsEstablished(): void {
    if (this.#phase === "ended") return;
    this.#handshaking = false;
    this.#inspector?.tlsEstablished();
    const queued = this.#handshakeQueue;
    this.#handshakeQueue = [];
    this.#handshakeOctets = 0;
    this.#clientPausedNow = false;
    this.#serverPausedNow = false;
    for (const chunk of queued) this.#clientHandlers.data(chunk);
    this.#updateFlow();
  }

  #queueDuringHandshake(chunk: Buffer): void {
    this.#handshakeOctets += chunk.length;
    if (this.#handshakeOctets > MAX_HANDSHAKE_QUEUE_OCTETS) {
      this.reset("peer-error");
      return;
    }
    this.#handshakeQueue.push(chunk);
  }

  #writeServer(bytes: Buffer): void {
    this.entry.initiatorBytes += bytes.length;
    if (!this.#server.write(bytes)) this.#serverBlocked = true;
  }

  #writeClient(bytes: Buffer): void {
    this.entry.responderBytes += bytes.length;
    if (!this.#client.write(bytes)) this.#clientBlocked = true;
  }

  // One place decides who may be read: the client waits for the upstream connection, for a
  // server that drains, and for the inspector; the server waits for a client that drains.
  #updateFlow(): void {
    if (this.#phase === "ended" || this.#handshaking) return;
    const holdClient =
      !this.#upstreamReady ||
      this.#xclient !== undefined ||
      this.#serverBlocked ||
      (this.#inspector?.clientPaused ?? false);
    if (holdClient !== this.#clientPausedNow) {
      this.#clientPausedNow = holdClient;
      if (holdClient) this.#client.pause();
      else this.#client.resume();
    }
    if (this.#clientBlocked !== this.#serverPausedNow) {
      this.#serverPausedNow = this.#clientBlocked;
      if (this.#clientBlocked) this.#server.pause();
      else this.#server.resume();
    }
  }

  #onInspectorEvent(event: InspectionEvent): void {
    if (event.type === "greeting") {
      this.#established();
    } else {
      if (event.type === "tls-started" && event.terminated) this.#tlsPending = true;
      const logged = messageForEvent(event, this.#ends());
      if (logged !== undefined && (this.#plan.alert || !logged.alert)) {
        this.#services.log(logged.message);
      }
    }
    this.#services.trace?.(this.entry, event);
  }

  /** The session is no longer half-open: SYN-wait ends and the idle timer starts. */
  #established(): void {
    if (this.#phase !== "connecting") return;
    this.#phase = "open";
    this.#services.table.setState(this.entry, "SIS_OPEN");
    this.#armIdleTimer();
    this.#services.established?.(this);
  }

  #halfClosed(): void {
    if (this.#phase === "ended") return;
    if (this.#phase === "closing") return;
    this.#phase = "closing";
    this.#services.table.setState(this.entry, "SIS_CLOSING");
    this.#armTimer(this.#services.finwaitMs, "finwait");
  }

  #unreachable(reason: string): void {
    if (this.#phase === "ended") return;
    this.#endReason = "unreachable";
    this.#phase = "closing";
    this.#services.table.setState(this.entry, "SIS_CLOSING");
    this.#armTimer(this.#services.finwaitMs, "unreachable");
    if (this.#plan.alert) {
      this.#services.log(serverUnreachable({ ...this.#ends(), reason }));
    }
    if (this.#inspector !== undefined) {
      const reply =
        `421 ${this.#services.hostname} Service not available,` + " mail server unreachable\r\n";
      this.#writeClient(Buffer.from(reply, "latin1"));
    }
    this.#client.end();
    this.#client.resume();
  }

  #peerError(): void {
    if (this.#phase === "ended") return;
    this.reset("peer-error");
  }

  #socketClosed(): void {
    this.#closedSockets++;
    if (this.#closedSockets === 2) {
      this.#finish();
      return;
    }
    // One side went away without a FIN exchange: the other is reset, as a firewall would.
    if (this.#phase === "connecting" || this.#phase === "open") this.reset("peer-error");
  }

  #finish(): void {
    this.#phase = "ended";
    this.#clearTimer();
    this.#services.table.remove(this.entry);
    if (this.#plan.auditTrail) {
      this.#services.log(
        sessAuditTrail({
          protocol: this.#plan.protocol,
          initiator: this.entry.initiator,
          initiatorBytes: this.entry.initiatorBytes,
          responder: this.entry.responder,
          responderBytes: this.entry.responderBytes,
        }),
      );
    }
    this.#services.ended(this);
  }

  #heard(): void {
    this.entry.lastHeardAt = this.#services.now();
  }

  #armTimer(ms: number, reason: EndReason): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.reset(reason);
    }, ms);
    this.#timer.unref();
  }

  // The idle timer is checked, not re-armed, on activity: it fires at the deadline and
  // sleeps again for what is left when the session was heard from since.
  #armIdleTimer(): void {
    const idleMs = this.#plan.idleSeconds * 1000;
    this.#clearTimer();
    const check = (): void => {
      const quiet = this.#services.now() - this.entry.lastHeardAt;
      if (quiet >= idleMs) {
        this.reset("idle");
        return;
      }
      this.#timer = setTimeout(check, idleMs - quiet);
      this.#timer.unref();
    };
    this.#timer = setTimeout(check, idleMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #ends(): { initiator: Endpoint; responder: Endpoint } {
    return { initiator: this.entry.initiator, responder: this.entry.responder };
  }
}
