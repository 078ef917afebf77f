import type { SessionEntry, SessionProtocol, SessionState } from "./session-table.js";
import type { Endpoint } from "../log/catalogue.js";

/** Ours: sessions one instance publishes for `show ip inspect sessions cluster`; the rest count. */
export const MAX_PUBLISHED_SESSIONS = 256;

/** One line of another instance's session list. */
export interface PublishedSession {
  readonly id: string;
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
  readonly protocol: SessionProtocol;
  readonly state: SessionState;
}

export interface PublishedSessions {
  /** All the sessions the instance held, of which `sessions` is the oldest part. */
  readonly total: number;
  readonly sessions: readonly PublishedSession[];
}

/** The instance's session list as it is stored, bounded. */
export function publishSessions(entries: readonly SessionEntry[]): string {
  const sessions = [...entries]
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, MAX_PUBLISHED_SESSIONS)
    .map(({ id, initiator, responder, protocol, state }) => ({
      id,
      initiator,
      responder,
      protocol,
      state,
    }));
  return JSON.stringify({ total: entries.length, sessions });
}

/** Another instance's list; what cannot be read is an empty list, never an error. */
export function readPublishedSessions(text: string): PublishedSessions {
  try {
    const value = JSON.parse(text) as Partial<PublishedSessions>;
    const sessions = Array.isArray(value.sessions) ? value.sessions : [];
    return { total: typeof value.total === "number" ? value.total : sessions.length, sessions };
  } catch {
    return { total: 0, sessions: [] };
  }
}
