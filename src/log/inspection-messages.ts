import type { InspectionEvent } from "../inspect/events.js";
import {
  describeAnomaly,
  smtpAnomaly,
  smtpInvalidCommand,
  smtpLineOverflow,
  smtpMaxDataExceeded,
  smtpSmuggling,
  smtpCommandRefused,
  smtpTlsStarted,
  type Endpoint,
  type FwMessage,
} from "./catalogue.js";

/** The two ends of the session an event belongs to. */
export interface SessionEnds {
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
}

/** An operator message for an inspector event; `alert` ones obey `alert off`/`alert-off`. */
export interface EventMessage {
  readonly message: FwMessage;
  readonly alert: boolean;
}

/** The %FW- message an inspector event becomes, or undefined for events that log nothing. */
export function messageForEvent(
  event: InspectionEvent,
  ends: SessionEnds,
): EventMessage | undefined {
  const { initiator, responder } = ends;
  switch (event.type) {
    case "invalid-command":
      if (event.reason === "line-overflow") {
        return { alert: true, message: smtpLineOverflow({ octets: event.length, initiator }) };
      }
      if (event.reason === "illegal-verb") {
        return { alert: true, message: smtpInvalidCommand({ initiator }) };
      }
      return {
        alert: true,
        message: smtpCommandRefused({ verb: event.verb, reason: event.reason, initiator }),
      };
    case "tls-started":
      return {
        alert: true,
        message: smtpTlsStarted({ initiator, responder, inspected: event.terminated }),
      };
    case "max-data-exceeded":
      return {
        alert: true,
        message: smtpMaxDataExceeded({ limit: event.limit, initiator, responder }),
      };
    case "smuggling":
      return { alert: true, message: smtpSmuggling({ variant: event.variant, initiator }) };
    case "anomaly":
      return {
        alert: false,
        message: smtpAnomaly({ description: describeAnomaly(event.kind), initiator }),
      };
    default:
      return undefined;
  }
}
