import type { InspectionEvent } from "../inspect/events.js";
import {
  describeAnomaly,
  smtpAnomaly,
  smtpInvalidCommand,
  smtpLineOverflow,
  smtpMaxDataExceeded,
  smtpSmuggling,
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
      return event.reason === "line-overflow"
        ? { alert: true, message: smtpLineOverflow({ octets: event.length, initiator }) }
        : { alert: true, message: smtpInvalidCommand({ initiator }) };
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
