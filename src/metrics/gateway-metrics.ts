/**
 * The Prometheus figures of a gateway. Counts that the gateway already keeps (sessions, bytes,
 * half-open, blocks) are read when Prometheus scrapes, so the hot path pays nothing for them;
 * only inspector events and log messages are counted as they happen. Label values come from
 * fixed sets: never a client address, never a verb a client invented.
 */

import { Counter, Gauge, Registry } from "prom-client";

import type { SessionEntry, SessionState } from "../firewall/session-table.js";
import type { Gateway } from "../gateway/gateway.js";
import type { InspectionEvent } from "../inspect/events.js";
import type { FwMessage } from "../log/catalogue.js";

/** The verbs counted by name; every other verb is "other". */
export const COUNTED_VERBS: ReadonlySet<string> = new Set([
  "HELO",
  "EHLO",
  "MAIL",
  "RCPT",
  "DATA",
  "BDAT",
  "RSET",
  "VRFY",
  "EXPN",
  "HELP",
  "NOOP",
  "QUIT",
  "TURN",
  "ETRN",
  "AUTH",
  "STARTTLS",
]);

const STATES: readonly SessionState[] = ["SIS_OPENING", "SIS_OPEN", "SIS_CLOSING"];

/** A counter's value as the source keeps it: Prometheus sees it as a counter all the same. */
function mirror(counter: Counter, value: number, labels: Record<string, string> = {}): void {
  counter.reset();
  counter.inc(labels, value);
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #commands: Counter<"verb" | "action">;
  readonly #rewritten: Counter<"reason">;
  readonly #messages: Counter<"mnemonic">;
  #gateway: Gateway | undefined;

  constructor() {
    const registers = [this.registry];
    this.#commands = new Counter({
      name: "smtpguard_commands_total",
      help: "SMTP command lines inspected, by verb and by what was done with them",
      labelNames: ["verb", "action"],
      registers,
    });
    this.#rewritten = new Counter({
      name: "smtpguard_rewritten_commands_total",
      help: "Command lines rewritten to X's before they reached the server",
      labelNames: ["reason"],
      registers,
    });
    this.#messages = new Counter({
      name: "smtpguard_messages_total",
      help: "Operator (%FW-, %SEC-, %SYS-) messages logged, alerts included, by mnemonic",
      labelNames: ["mnemonic"],
      registers,
    });
    this.#scrapedFigures(registers);
  }

  /** The gateway whose table and thresholds are read at each scrape. */
  watch(gateway: Gateway): void {
    this.#gateway = gateway;
  }

  /** For `GatewayOptions.observe`: every inspector event of every session. */
  readonly observe = (_entry: SessionEntry, event: InspectionEvent): void => {
    if (event.type === "trace-command") {
      const verb = COUNTED_VERBS.has(event.verb) ? event.verb : "other";
      this.#commands.inc({ verb, action: event.action });
    } else if (event.type === "invalid-command") {
      this.#rewritten.inc({ reason: event.reason });
    }
  };

  /** For the gateway's log callback: every operator message. */
  readonly message = (message: FwMessage): void => {
    this.#messages.inc({ mnemonic: message.mnemonic });
  };

  #scrapedFigures(registers: Registry[]): void {
    const figures = (): Gateway | undefined => this.#gateway;
    new Gauge({
      name: "smtpguard_sessions",
      help: "Sessions in the table, by IOS state (SIS_OPENING is half-open)",
      labelNames: ["state"],
      registers,
      collect() {
        const counts = figures()?.table.counts.current;
        for (const state of STATES) this.set({ state }, counts?.[state] ?? 0);
      },
    });
    new Counter({
      name: "smtpguard_sessions_created_total",
      help: "Sessions created since start",
      registers,
      collect() {
        mirror(this, figures()?.table.counts.created ?? 0);
      },
    });
    new Counter({
      name: "smtpguard_bytes_total",
      help: "Octets relayed, by the side that sent them (initiator: client, responder: server)",
      labelNames: ["direction"],
      registers,
      collect() {
        const [initiator, responder] = relayedBytes(figures());
        this.reset();
        this.inc({ direction: "initiator" }, initiator);
        this.inc({ direction: "responder" }, responder);
      },
    });
    new Gauge({
      name: "smtpguard_half_open",
      help: "Half-open sessions as the thresholds count them",
      registers,
      collect() {
        this.set(figures()?.thresholdStatistics.halfOpen ?? 0);
      },
    });
    new Gauge({
      name: "smtpguard_blocked_hosts",
      help: "Hosts blocked by ip inspect tcp max-incomplete host ... block-time",
      registers,
      collect() {
        this.set(figures()?.thresholdStatistics.blockedHosts.length ?? 0);
      },
    });
  }
}

function relayedBytes(gateway: Gateway | undefined): [number, number] {
  if (gateway === undefined) return [0, 0];
  let initiator = gateway.endedBytes.initiator;
  let responder = gateway.endedBytes.responder;
  for (const entry of gateway.table.list()) {
    initiator += entry.initiatorBytes;
    responder += entry.responderBytes;
  }
  return [initiator, responder];
}
