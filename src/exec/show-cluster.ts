/**
 * Ours: the cluster's part of `show ip inspect sessions cluster` and `show ip inspect
 * statistics` when instances share their thresholds through Redis. Pure.
 */

import type { ClusterView } from "../firewall/redis-threshold-store.js";
import { readPublishedSessions, type PublishedSession } from "../firewall/session-summary.js";
import type { SessionState } from "../firewall/session-table.js";
import type { Endpoint } from "../log/catalogue.js";
import { textOf } from "./exec-answer.js";

const SECTIONS: readonly { readonly state: SessionState; readonly title: string }[] = [
  { state: "SIS_OPEN", title: "Established Sessions" },
  { state: "SIS_OPENING", title: "Half-open Sessions" },
  { state: "SIS_CLOSING", title: "Terminating Sessions" },
];

export const CLUSTER_UNAVAILABLE = "% The state store does not answer: no cluster view\n";

function endpoint(end: Endpoint): string {
  return `(${end.address}:${end.port})`;
}

function sessionLine(instance: string, session: PublishedSession): string {
  return (
    ` Session ${session.id} ${endpoint(session.initiator)}=>${endpoint(session.responder)} ` +
    `${session.protocol} ${session.state} instance ${instance}`
  );
}

/** Every live instance's sessions, in IOS's sections, each marked with its instance. */
export function showClusterSessions(view: ClusterView): string {
  const lists = view.instances.map((instance) => ({
    name: instance.name,
    ...readPublishedSessions(instance.sessions),
  }));
  const lines: string[] = [];
  for (const { state, title } of SECTIONS) {
    const inState = lists.flatMap(({ name, sessions }) =>
      sessions.filter((session) => session.state === state).map((s) => sessionLine(name, s)),
    );
    if (inState.length > 0) lines.push(title, ...inState);
  }
  for (const { name, total, sessions } of lists) {
    if (total > sessions.length) lines.push(`Instance ${name}: ${total - sessions.length} more`);
  }
  return textOf(lines);
}

/** The cluster's lines after this instance's own statistics. */
export function showClusterStatistics(view: ClusterView | undefined): string {
  if (view === undefined) return textOf(["Cluster: state store unreachable"]);
  const halfOpen = view.instances.reduce((sum, instance) => sum + instance.halfOpen, 0);
  const names = view.instances.map((instance) => `${instance.name} ${instance.halfOpen}`);
  return textOf([
    `Cluster instances ${view.instances.length}`,
    `Cluster half-open session total ${halfOpen}`,
    `Cluster half-open sessions by instance: ${names.join(", ")}`,
    `Cluster session creation rate (one minute) ${view.oneMinuteRate}`,
    `Cluster aggressive ${view.aggressive ? "yes" : "no"}`,
    `Cluster blocked hosts ${view.blockedHosts.length === 0 ? "none" : view.blockedHosts.join(" ")}`,
  ]);
}
