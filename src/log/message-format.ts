/**
 * What every operator message shares: the IOS form `%FACILITY-SEVERITY-MNEMONIC: text`, the
 * bounds on arguments that come from peers or the configuration, and how endpoints print.
 */

import { argument } from "./arguments.js";
import type { Severity } from "./severity.js";

/**
 * FW for the firewall; SEC for the access-list log, as IOS files it; SYS for the start-up notice
 * about inert configuration, because it is about the configuration, not a connection, and
 * keeping it out of FW lets an operator read every `%FW-` line as a firewall event.
 */
export type Facility = "FW" | "SEC" | "SYS";

export interface FwMessage {
  readonly facility: Facility;
  readonly mnemonic: string;
  readonly severity: Severity;
  readonly text: string;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** What the README needs to list a message. */
export interface CatalogueEntry {
  readonly facility: Facility;
  readonly mnemonic: string;
  readonly severity: Severity;
  readonly cisco: boolean;
  /** The text with System Message Guide placeholders: `[chars]`, `[dec]`, `[IP]`. */
  readonly format: string;
}

// Bounds on arguments that come from peers or from the configuration file.
export const MAX_PROTOCOL_CHARS = 16;
export const MAX_VERB_CHARS = 16;
export const MAX_VARIANT_CHARS = 16;
export const MAX_ACL_NAME_CHARS = 64;
export const MAX_REASON_CHARS = 80;
export const MAX_DESCRIPTION_CHARS = 80;
export const MAX_CONFIG_TEXT_CHARS = 80;

export function formatFwMessage(message: FwMessage): string {
  return `%${message.facility}-${message.severity}-${message.mnemonic}: ${message.text}`;
}

export function build(entry: CatalogueEntry, text: string): FwMessage {
  return { facility: entry.facility, mnemonic: entry.mnemonic, severity: entry.severity, text };
}

// A socket reports an IPv4 peer on a dual-stack listener as ::ffff:a.b.c.d; IOS would print
// the IPv4 address.
export function address(value: string): string {
  return value.startsWith("::ffff:") && value.includes(".") ? value.slice(7) : value;
}

export function endpoint(value: Endpoint): string {
  return `${address(value.address)}:${value.port}`;
}

export function protocol(value: string): string {
  return argument(value, MAX_PROTOCOL_CHARS);
}
