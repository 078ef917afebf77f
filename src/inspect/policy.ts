/**
 * The inspection policy: a plain object built from the configuration model, so that the
 * inspector never sees the configuration language itself.
 */

export type InspectProtocol = "smtp" | "esmtp";

export interface InspectionPolicy {
  readonly protocol: InspectProtocol;
  /** Message content octets allowed per session before it is reset (IOS `max-data`). */
  readonly maxData: number;
}

/** IOS 12.3's default for `ip inspect name N smtp|esmtp max-data`. */
export const DEFAULT_MAX_DATA = 20_000_000;

// SPEC section 1: the legal commands of the source document, per rule protocol.
const SMTP_VERBS = [
  "DATA",
  "HELO",
  "HELP",
  "MAIL",
  "NOOP",
  "QUIT",
  "RCPT",
  "RSET",
  "SAML",
  "SEND",
  "SOML",
  "VRFY",
] as const;

const ESMTP_VERBS = [...SMTP_VERBS, "AUTH", "EHLO", "ETRN", "EXPN"] as const;

export const LEGAL_VERBS: Readonly<Record<InspectProtocol, ReadonlySet<string>>> = {
  smtp: new Set(SMTP_VERBS),
  esmtp: new Set(ESMTP_VERBS),
};

export function defaultPolicy(protocol: InspectProtocol): InspectionPolicy {
  return { protocol, maxData: DEFAULT_MAX_DATA };
}
