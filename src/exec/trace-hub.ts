/**
 * Fans the sessions' parser events out to the consoles that asked for `debug ip inspect`, each
 * line stamped as `service timestamps debug` says. The gateway traces only while at least one
 * console listens: the last one to leave turns the inspectors' trace off again.
 */

import type { SessionEntry } from "../firewall/session-table.js";
import type { InspectionEvent } from "../inspect/events.js";
import { formatTimestamp, type TimestampOptions } from "../log/timestamp.js";
import { introLine, traceLines, wantsEvent, type DebugFlag } from "./debug-trace.js";

export interface TraceHubOptions {
  /** When the gateway started, for `uptime` stamps. */
  readonly startedAt: number;
  /** `service timestamps debug` of the configuration the gateway starts with. */
  readonly timestamps: TimestampOptions;
}

/** One console's interest: its debug flags and where its lines go. */
export class TraceSubscription {
  readonly flags = new Set<DebugFlag>();
  readonly deliver: (line: string) => void;
  /** Sessions this console has been introduced to (their addresses said once). */
  readonly introduced = new WeakSet<SessionEntry>();

  constructor(deliver: (line: string) => void) {
    this.deliver = deliver;
  }
}

export class TraceHub {
  readonly #options: TraceHubOptions;
  readonly #subscriptions = new Set<TraceSubscription>();
  /** Reply lines seen per session while tracing, for the source's `index:N`. */
  readonly #replyCounts = new WeakMap<SessionEntry, number>();
  #setTracing: (on: boolean) => void = () => undefined;
  #tracing = false;
  #timestamps: TimestampOptions;

  constructor(options: TraceHubOptions) {
    this.#options = options;
    this.#timestamps = options.timestamps;
  }

  /** `service timestamps debug` changed in `configure terminal`: applies to the next line. */
  set timestamps(options: TimestampOptions) {
    this.#timestamps = options;
  }

  /** Whether some console listens now (the inspectors trace only then). */
  get tracing(): boolean {
    return this.#tracing;
  }

  /** Connects the switch of the gateway's trace, once the gateway exists. */
  bind(setTracing: (on: boolean) => void): void {
    this.#setTracing = setTracing;
    setTracing(this.#tracing);
  }

  subscribe(deliver: (line: string) => void): TraceSubscription {
    const subscription = new TraceSubscription(deliver);
    this.#subscriptions.add(subscription);
    return subscription;
  }

  setFlag(subscription: TraceSubscription, flag: DebugFlag, on: boolean): void {
    if (on) subscription.flags.add(flag);
    else subscription.flags.delete(flag);
    this.#update();
  }

  unsubscribe(subscription: TraceSubscription): void {
    this.#subscriptions.delete(subscription);
    this.#update();
  }

  /** The gateway's `trace` callback: every inspector event of every session. */
  publish(entry: SessionEntry, event: InspectionEvent): void {
    if (!this.#tracing) return;

    const replyIndex = this.#countReply(entry, event);
    let stamp: string | undefined;
    for (const subscription of this.#subscriptions) {
      if (!wantsEvent(subscription.flags, entry, event)) continue;
      stamp ??= this.#stamp(event.at);
      if (!subscription.introduced.has(entry)) {
        subscription.introduced.add(entry);
        subscription.deliver(`${stamp}${introLine(entry)}`);
      }
      for (const line of traceLines(entry, event, replyIndex)) subscription.deliver(stamp + line);
    }
  }

  #countReply(entry: SessionEntry, event: InspectionEvent): number {
    if (event.type !== "trace-reply") return 0;
    const index = this.#replyCounts.get(entry) ?? 0;
    this.#replyCounts.set(entry, index + 1);
    return index;
  }

  #stamp(at: number): string {
    return formatTimestamp(this.#timestamps, new Date(at), at - this.#options.startedAt);
  }

  #update(): void {
    const tracing = [...this.#subscriptions].some((subscription) => subscription.flags.size > 0);
    if (tracing === this.#tracing) return;
    this.#tracing = tracing;
    this.#setTracing(tracing);
  }
}
