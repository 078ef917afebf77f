/**
 * The text of `debug ip inspect smtp | esmtp | detailed`, in the spirit of the source's trace
 * (`CBAC SMTP: ... End Of Command Line - index:1, len:12`): each command verb matched or
 * refused with its parameters, the end of each command line, each reply line with its code and
 * what it answers. Pure: events in, lines out.
 */

import type { SessionEntry } from "../firewall/session-table.js";
import type { InspectionEvent } from "../inspect/events.js";
import { argument } from "../log/arguments.js";
import { describeAnomaly } from "../log/catalogue.js";

export const DEBUG_FLAGS = ["smtp", "esmtp", "detailed"] as const;

export type DebugFlag = (typeof DEBUG_FLAGS)[number];

const FLAG_NAMES: Readonly<Record<DebugFlag, string>> = {
  smtp: "SMTP Inspection",
  esmtp: "ESMTP Inspection",
  detailed: "Detailed",
};

/** Parameters longer than this are cut, with the count of what was left off. */
export const MAX_TRACE_PARAMETER_CHARS = 80;

/** What `debug` and `undebug` answer, as the source shows (`INSPECT SMTP Inspection ...`). */
export function debugFlagMessage(flag: DebugFlag, on: boolean): string {
  return `INSPECT ${FLAG_NAMES[flag]} debugging is ${on ? "on" : "off"}`;
}

/**
 * `smtp` and `esmtp` follow the sessions of rules of that protocol; `detailed` follows both
 * and adds the inspector's decisions (masks, anomalies, resets) to the parser trace.
 */
export function wantsEvent(
  flags: ReadonlySet<DebugFlag>,
  entry: SessionEntry,
  event: InspectionEvent,
): boolean {
  if (entry.protocol === "tcp") return false;
  const detailed = flags.has("detailed");
  if (!detailed && !flags.has(entry.protocol)) return false;
  return detailed || event.type.startsWith("trace-");
}

function prefix(entry: SessionEntry): string {
  return `CBAC ${entry.protocol.toUpperCase()}: sis ${entry.id}`;
}

/** Said once per session to each console, so later lines need only the session id. */
export function introLine(entry: SessionEntry): string {
  const { initiator, responder } = entry;
  return (
    `${prefix(entry)} (${initiator.address}:${initiator.port})=>` +
    `(${responder.address}:${responder.port}) rule ${entry.ruleName}`
  );
}

/**
 * The lines of one event. `replyIndex` numbers the session's reply lines from 0, as the
 * source's `End Of Reply Line - index:N` does.
 */
export function traceLines(
  entry: SessionEntry,
  event: InspectionEvent,
  replyIndex: number,
): string[] {
  const at = prefix(entry);
  switch (event.type) {
    case "trace-command": {
      const verb = `cmd '${event.verb}'`;
      const judged =
        event.action === "pass"
          ? `${verb} matched, parameters '${argument(event.parameters, MAX_TRACE_PARAMETER_CHARS)}'` +
            ` len:${event.parameters.length}`
          : `${verb} not allowed, line masked with X`;
      return [
        `${at} ${judged}`,
        `${at} End Of Command Line - index:${event.index}, len:${event.length}`,
      ];
    }
    case "trace-reply":
      return [
        `${at} reply code ${event.code} (${event.final ? "final" : "continued"}) ` +
          `answers ${event.answers}`,
        `${at} End Of Reply Line - index:${replyIndex}, len:${event.length}`,
      ];
    case "trace-data":
      return event.phase === "start"
        ? [`${at} message content begins`]
        : [`${at} End Of Message - len:${event.octets}`];
    default:
      return [`${at} ${decision(event)}`];
  }
}

// The inspector's decisions, for `detailed`; an event this version does not know is named.
function decision(event: InspectionEvent): string {
  switch (event.type) {
    case "greeting":
      return `greeting ${event.code} passed to the initiator, session established`;
    case "invalid-command":
      return `invalid command '${event.verb}' (${event.reason}), len:${event.length}, masked`;
    case "anomaly":
      return `anomaly: ${describeAnomaly(event.kind)}`;
    case "max-data-exceeded":
      return `max-data ${event.limit} exceeded`;
    case "smuggling":
      return `end-of-data look-alike ${event.variant} in message content`;
    case "reset":
      return `session reset (${event.reason})`;
    default:
      return `event ${(event as { readonly type: string }).type}`;
  }
}
