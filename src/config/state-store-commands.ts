/**
 * Ours, beyond the router: `ip inspect state-store redis URL [prefix NAME] [instance NAME]
 * [share PERCENT]`, which moves the thresholds' shared state (half-open counts, the one-minute
 * window, host blocks, per-source counters) to Redis so that several instances act as one.
 */

import type { CommandContext } from "./command-context.js";
import type { StateStoreConfig } from "./model.js";
import type { Cursor } from "./tokens.js";

export const DEFAULT_STATE_STORE_PREFIX = "smtpguard";

/** Ours: with no share configured, an instance cut off from the store keeps every limit whole. */
export const DEFAULT_STATE_STORE_SHARE = 100;

const STATE_STORE_OPTIONS = ["prefix", "instance", "share"] as const;

// Key names and instance names become parts of Redis keys: no spaces, colons stay separators.
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** `ip inspect state-store redis URL [prefix NAME] [instance NAME] [share PERCENT]`. */
export function stateStoreCommand(cursor: Cursor, context: CommandContext): void {
  cursor.keyword(["redis"]);
  const urlAt = cursor.index;
  const url = cursor.word();
  if (!/^rediss?:\/\/[^\s]+$/.test(url)) cursor.refuse("% A redis:// or rediss:// URL", urlAt);

  const store: StateStoreConfig = {
    url,
    prefix: DEFAULT_STATE_STORE_PREFIX,
    instance: undefined,
    share: DEFAULT_STATE_STORE_SHARE,
  };
  while (!cursor.done) {
    const option = cursor.keyword(STATE_STORE_OPTIONS);
    if (option === "share") store.share = cursor.integer(1, 100, "Percent");
    else if (option === "prefix") store.prefix = readName(cursor);
    else store.instance = readName(cursor);
  }
  context.model.stateStore = store;
}

function readName(cursor: Cursor): string {
  const at = cursor.index;
  const name = cursor.word();
  if (!NAME_PATTERN.test(name)) cursor.refuse("% Name of letters, digits, '.', '_' or '-'", at);
  return name;
}

/** `no ip inspect state-store ...`: back to thresholds in memory. */
export function noStateStoreCommand(cursor: Cursor, context: CommandContext): void {
  while (!cursor.done) cursor.word();
  context.model.stateStore = undefined;
}

export function renderStateStore(store: StateStoreConfig | undefined): string[] {
  if (store === undefined) return [];
  const words = ["ip inspect state-store redis", store.url];
  if (store.prefix !== DEFAULT_STATE_STORE_PREFIX) words.push(`prefix ${store.prefix}`);
  if (store.instance !== undefined) words.push(`instance ${store.instance}`);
  if (store.share !== DEFAULT_STATE_STORE_SHARE) words.push(`share ${store.share}`);
  return [words.join(" ")];
}
