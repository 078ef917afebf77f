import type { InspectionEvent, ResetReason } from "../../src/inspect/events.js";
import { Inspector } from "../../src/inspect/inspector.js";
import { defaultPolicy, type InspectionPolicy } from "../../src/inspect/policy.js";

/** One step of a conversation: bytes from one side. */
export interface Step {
  readonly from: "client" | "server";
  readonly bytes: Buffer;
}

export interface Outcome {
  /** Everything the server received. */
  readonly server: Buffer;
  /** Everything the client received. */
  readonly client: Buffer;
  readonly events: InspectionEvent[];
  readonly resets: ResetReason[];
  readonly inspector: Inspector;
}

/** Splits a buffer into pieces; the identity keeps it whole. */
export type Splitter = (bytes: Buffer) => Buffer[];

export const whole: Splitter = (bytes) => [bytes];

export const byteByByte: Splitter = (bytes) =>
  Array.from({ length: bytes.length }, (_, at) => bytes.subarray(at, at + 1));

/** Splits at the given cut points (taken modulo the length), for property tests. */
export function cutsAt(cuts: readonly number[]): Splitter {
  return (bytes) => {
    if (bytes.length < 2) return [bytes];
    const points = [...new Set(cuts.map((cut) => 1 + (cut % (bytes.length - 1))))];
    points.sort((a, b) => a - b);
    const pieces: Buffer[] = [];
    let from = 0;
    for (const point of points) {
      pieces.push(bytes.subarray(from, point));
      from = point;
    }
    pieces.push(bytes.subarray(from));
    return pieces;
  };
}

export function c(text: string): Step {
  return { from: "client", bytes: Buffer.from(text, "latin1") };
}

export function s(text: string): Step {
  return { from: "server", bytes: Buffer.from(text, "latin1") };
}

export function converse(
  steps: readonly Step[],
  policy: InspectionPolicy = defaultPolicy("esmtp"),
  split: Splitter = whole,
): Outcome {
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const events: InspectionEvent[] = [];
  const resets: ResetReason[] = [];
  const inspector = new Inspector(policy, {
    toServer: (bytes) => toServer.push(Buffer.from(bytes)),
    toClient: (bytes) => toClient.push(Buffer.from(bytes)),
    reset: (reason) => resets.push(reason),
    event: (event) => events.push(event),
  });
  inspector.tracing = true;
  let now = 0;
  for (const step of steps) {
    for (const piece of split(step.bytes)) {
      now += 1;
      if (step.from === "client") inspector.feedClient(piece, now);
      else inspector.feedServer(piece, now);
    }
  }
  return {
    server: Buffer.concat(toServer),
    client: Buffer.concat(toClient),
    events,
    resets,
    inspector,
  };
}

/** The bytes one side sent, all steps joined. */
export function sent(steps: readonly Step[], from: "client" | "server"): Buffer {
  return Buffer.concat(steps.filter((step) => step.from === from).map((step) => step.bytes));
}

export function eventsOf<T extends InspectionEvent["type"]>(
  outcome: Outcome,
  type: T,
): Extract<InspectionEvent, { type: T }>[] {
  return outcome.events.filter(
    (event): event is Extract<InspectionEvent, { type: T }> => event.type === type,
  );
}
