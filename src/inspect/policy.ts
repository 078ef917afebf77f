/**
 * The inspection policy: a plain object built from the configuration model, so that the
 * inspector never sees the configuration language itself.
 */

export type InspectProtocol = "smtp" | "esmtp";

export interface InspectionPolicy {
  readonly protocol: InspectProtocol;
  /** Message content octets allowed per session before it is reset (IOS `max-data`). */
  readonly maxData: number;
  /** The deeper checks of an esmtp rule; the ASA default map's when absent. */
  readonly esmtp?: EsmtpPolicy | undefined;
}

/** What happens to a session that crosses a limit (ASA `match ... ` actions). */
export type LimitAction = "log" | "reset";

/**
 * STARTTLS: masked (the ASA default), allowed (inspection stops after the 220), or terminated
 * here (TLS on both legs, inspection goes on inside).
 */
export type TlsPolicy = "mask" | "allow" | "terminate";

/** An esmtp rule's policy: the ASA `policy-map type inspect esmtp` parameters and matches. */
export interface EsmtpPolicy {
  /** EHLO keywords passed to the client; the rest are masked with X's (when masking is on). */
  readonly ehloKeywords: ReadonlySet<string>;
  /** ASA `match ehlo-reply-parameter others` with `mask` (the default); off: others pass. */
  readonly maskOtherEhloKeywords: boolean;
  readonly tls: TlsPolicy;
  /** The greeting's text becomes asterisks (ASA `mask-banner`). */
  readonly maskBanner: boolean;
  /** Shell and expansion sequences in addresses are masked (ours: on; ASA: off). */
  readonly specialCharacter: boolean;
  /** A command after a pipelining sync point: logged, or also masked. */
  readonly pipeliningViolation: "log" | "mask";
  readonly maxRecipients: { readonly limit: number; readonly action: LimitAction };
  readonly maxSenderLength: { readonly limit: number; readonly action: LimitAction };
  readonly maxHeaderLine: { readonly limit: number; readonly action: LimitAction };
  readonly maxBodyLine: { readonly limit: number; readonly action: LimitAction };
  readonly maxMimeFilename: { readonly limit: number; readonly action: LimitAction };
}

/** The keywords smtpguard inspects (SPEC section 5); STARTTLS is added when TLS is allowed. */
export const INSPECTED_EHLO_KEYWORDS: readonly string[] = [
  "SIZE",
  "8BITMIME",
  "BINARYMIME",
  "CHUNKING",
  "PIPELINING",
  "AUTH",
  "DSN",
  "ENHANCEDSTATUSCODES",
  "ETRN",
  "SMTPUTF8",
];

/** The ASA's `_default_esmtp_map` (REFERENCE.md 5.3), with our special-character check on. */
export function defaultEsmtpPolicy(): EsmtpPolicy {
  return {
    ehloKeywords: new Set(INSPECTED_EHLO_KEYWORDS),
    maskOtherEhloKeywords: true,
    tls: "mask",
    maskBanner: false,
    specialCharacter: true,
    pipeliningViolation: "log",
    maxRecipients: { limit: 100, action: "reset" },
    maxSenderLength: { limit: 320, action: "reset" },
    maxHeaderLine: { limit: 998, action: "reset" },
    maxBodyLine: { limit: 998, action: "log" },
    maxMimeFilename: { limit: 255, action: "reset" },
  };
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
