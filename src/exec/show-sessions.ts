/**
 * The live parts of `show ip inspect`: `sessions [detail]` and `statistics`, in the formats of
 * REFERENCE.md sections 3.3, 3.4 and 3.7. Pure: the caller passes the table's entries, its
 * counters and the time.
 */

import type { SessionCounts, SessionEntry, SessionState } from "../firewall/session-table.js";
import type { Endpoint } from "../log/catalogue.js";
import { formatUptime } from "../log/timestamp.js";
import type { CreationRates } from "./creation-rate.js";
import { textOf } from "./exec-answer.js";

/** IOS lists established sessions first, then half-open, then terminating. */
const SECTIONS: readonly { readonly state: SessionState; readonly title: string }[] = [
  { state: "SIS_OPEN", title: "Established Sessions" },
  { state: "SIS_OPENING", title: "Half-open Sessions" },
  { state: "SIS_CLOSING", title: "Terminating Sessions" },
];

function endpoint(end: Endpoint): string {
  return `(${end.address}:${end.port})`;
}

function sessionLines(entry: SessionEntry, now: number, detail: boolean): string[] {
  const line =
    ` Session ${entry.id} ${endpoint(entry.initiator)}=>${endpoint(entry.responder)} ` +
    `${entry.protocol} ${entry.state}`;
  if (!detail) return [line];
  return [
    line,
    `  Created ${age(now, entry.createdAt)}, Last heard ${age(now, entry.lastHeardAt)}`,
    `  Bytes sent (initiator:responder) [${entry.initiatorBytes}:${entry.responderBytes}]`,
  ];
}

// IOS prints ages as hh:mm:ss, then 1d02h past a day, as its uptime stamps.
function age(now: number, since: number): string {
  return formatUptime(now - since);
}

/** Sections with no session are left out, as IOS leaves them out. */
export function showInspectSessions(
  entries: readonly SessionEntry[],
  now: number,
  detail: boolean,
): string {
  const ordered = [...entries].sort((a, b) => a.createdAt - b.createdAt);
  const lines: string[] = [];
  for (const { state, title } of SECTIONS) {
    const inState = ordered.filter((entry) => entry.state === state);
    if (inState.length === 0) continue;
    lines.push(title, ...inState.flatMap((entry) => sessionLines(entry, now, detail)));
  }
  return textOf(lines);
}

export interface InspectStatistics {
  /** Interfaces with an inspection rule bound in either direction. */
  readonly interfaces: number;
  readonly counts: SessionCounts;
  readonly rates: CreationRates;
  readonly now: number;
}

function perState(counts: Readonly<Record<SessionState, number>>): string {
  return `[${counts.SIS_OPEN}:${counts.SIS_OPENING}:${counts.SIS_CLOSING}]`;
}

/**
 * The session counters of section 3.7. The packet counters and the TCP reassembly lines are
 * left out: a user-space relay sees neither packets nor segments, and printing zeros would lie.
 */
export function showInspectStatistics(stats: InspectStatistics): string {
  const { counts, rates } = stats;
  const lastCreated =
    counts.lastCreatedAt === undefined ? "never" : age(stats.now, counts.lastCreatedAt);
  return textOf([
    `Interfaces configured for inspection ${stats.interfaces}`,
    `Session creations since subsystem startup or last reset ${counts.created}`,
    `Current session counts (estab/half-open/terminating) ${perState(counts.current)}`,
    `Maxever session counts (estab/half-open/terminating) ${perState(counts.maxEver)}`,
    `Last session created ${lastCreated}`,
    "Last statistic reset never",
    `Last session creation rate ${rates.last}`,
    `Maxever session creation rate ${rates.maxEver}`,
    `Last half-open session total ${rates.lastHalfOpen}`,
  ]);
}
