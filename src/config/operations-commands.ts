/**
 * Ours, beyond the router: the lines a gateway run as a service needs. `ip inspect metrics`,
 * `ip inspect graceful-shutdown` and `ip inspect proxy-protocol timeout` sit in the `ip inspect`
 * family; `logging format` beside the other logging lines.
 */

import { isIP } from "node:net";

import type { CommandContext } from "./command-context.js";
import { defaultOperations, type OperationsConfig } from "./model.js";
import { CommandFailure, type Cursor } from "./tokens.js";

export const OPERATIONS_INSPECT_KEYWORDS = [
  "metrics",
  "graceful-shutdown",
  "proxy-protocol",
] as const;

export type OperationsInspectKeyword = (typeof OPERATIONS_INSPECT_KEYWORDS)[number];

// Ours: a day is more than any operator would wait for a shutdown or a header.
const MAX_GRACE_SECONDS = 86_400;
const MAX_HEADER_TIMEOUT_SECONDS = 300;

/**
 * `ip inspect metrics A P`, `ip inspect graceful-shutdown S`, `ip inspect proxy-protocol timeout
 * S`.
 */
export function operationsInspectCommand(
  cursor: Cursor,
  context: CommandContext,
  what: OperationsInspectKeyword,
): void {
  const operations = context.model.operations;
  if (what === "metrics") {
    operations.metrics = readMetricsEndpoint(cursor);
  } else if (what === "graceful-shutdown") {
    operations.shutdownGrace = cursor.integer(0, MAX_GRACE_SECONDS, "Seconds");
  } else {
    cursor.keyword(["timeout"]);
    operations.proxyHeaderTimeout = cursor.integer(1, MAX_HEADER_TIMEOUT_SECONDS, "Seconds");
  }
  cursor.end();
}

function readMetricsEndpoint(cursor: Cursor): { address: string; port: number } {
  const at = cursor.index;
  const address = cursor.word();
  if (isIP(address) === 0) throw new CommandFailure("invalid", at);
  // The endpoint has no authentication: it is served to the machine itself only.
  if (!isLoopback(address)) cursor.refuse("% Metrics are served on a loopback address only", at);
  const port = cursor.integer(1, 65_535, "Port");
  return { address, port };
}

function isLoopback(address: string): boolean {
  return address === "::1" || /^127\./.test(address);
}

/** `no ip inspect metrics|graceful-shutdown|proxy-protocol ...`: back to the default. */
export function noOperationsInspectCommand(
  cursor: Cursor,
  context: CommandContext,
  what: OperationsInspectKeyword,
): void {
  while (!cursor.done) cursor.word();
  const operations = context.model.operations;
  const defaults = defaultOperations();
  if (what === "metrics") operations.metrics = undefined;
  else if (what === "graceful-shutdown") operations.shutdownGrace = defaults.shutdownGrace;
  else operations.proxyHeaderTimeout = defaults.proxyHeaderTimeout;
}

/** `logging format rfc3164|rfc5424`. */
export function loggingFormatCommand(cursor: Cursor, context: CommandContext): void {
  context.model.operations.syslogFormat = cursor.keyword(["rfc3164", "rfc5424"]);
  cursor.end();
}

/** The `ip inspect` lines of ours that differ from the defaults. */
export function renderOperationsInspect(operations: OperationsConfig): string[] {
  const defaults = defaultOperations();
  const lines: string[] = [];
  if (operations.metrics !== undefined) {
    lines.push(`ip inspect metrics ${operations.metrics.address} ${operations.metrics.port}`);
  }
  if (operations.shutdownGrace !== defaults.shutdownGrace) {
    lines.push(`ip inspect graceful-shutdown ${operations.shutdownGrace}`);
  }
  if (operations.proxyHeaderTimeout !== defaults.proxyHeaderTimeout) {
    lines.push(`ip inspect proxy-protocol timeout ${operations.proxyHeaderTimeout}`);
  }
  return lines;
}

export function renderLoggingFormat(operations: OperationsConfig): string[] {
  return operations.syslogFormat === "rfc3164" ? [] : [`logging format ${operations.syslogFormat}`];
}
