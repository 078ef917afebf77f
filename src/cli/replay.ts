import type { InspectionEvent } from "../inspect/events.js";
import { Inspector } from "../inspect/inspector.js";
import type { InspectionPolicy } from "../inspect/policy.js";
import { formatFwMessage } from "../log/catalogue.js";
import { messageForEvent, type SessionEnds } from "../log/inspection-messages.js";
import { formatSegment, type Direction, type Segment } from "./transcript.js";

/** Offline addresses for the log lines of a replay: documentation ranges, never dialled. */
export const REPLAY_ENDS: SessionEnds = {
  initiator: { address: "192.0.2.10", port: 49152 },
  responder: { address: "198.51.100.25", port: 25 },
};

export interface ReplayOptions {
  readonly policy: InspectionPolicy;
  readonly ends?: SessionEnds;
  /** Log alerts (SMTP_INVALID_COMMAND and the like); `alert off` turns them off. */
  readonly alerts?: boolean;
}

/**
 * Runs a transcript through one inspector and returns what it prints: `C` lines for what
 * the server would receive, `S` lines for what the client would receive, in the order they
 * would be sent, with the log lines where they would be written.
 */
export function replay(segments: readonly Segment[], options: ReplayOptions): string[] {
  const ends = options.ends ?? REPLAY_ENDS;
  const alerts = options.alerts ?? true;
  const output: string[] = [];
  const write = (from: Direction, bytes: Buffer): void => {
    output.push(...formatSegment(from, bytes));
  };
  const inspector = new Inspector(options.policy, {
    toServer: (bytes) => {
      write("client", bytes);
    },
    toClient: (bytes) => {
      write("server", bytes);
    },
    reset: (reason) => {
      output.push(`# session reset: ${reason}`);
    },
    event: (event: InspectionEvent) => {
      const logged = messageForEvent(event, ends);
      if (logged !== undefined && (alerts || !logged.alert)) {
        output.push(formatFwMessage(logged.message));
      }
    },
  });
  segments.forEach((segment, index) => {
    if (segment.from === "client") inspector.feedClient(segment.bytes, index);
    else inspector.feedServer(segment.bytes, index);
  });
  if (inspector.clientPaused && !inspector.closed) {
    output.push("# client bytes still held: the transcript ends before the reply that frees them");
  }
  return output;
}
