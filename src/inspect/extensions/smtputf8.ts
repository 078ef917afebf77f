import type { EsmtpState } from "../esmtp-state.js";
import { badParameter, refuse, unsupportedParameter, type Refusal } from "../refusal.js";

/** RFC 6531 3.4: MAIL SMTPUTF8 takes no value and needs the extension advertised. */
export function checkSmtputf8Parameter(
  value: string | undefined,
  state: EsmtpState,
): Refusal | undefined {
  if (!state.has("SMTPUTF8")) return unsupportedParameter("SMTPUTF8");
  if (value !== undefined) return badParameter("SMTPUTF8");
  state.transaction.smtputf8 = true;
  return undefined;
}

/** 8-bit octets in an address are allowed only in a transaction with SMTPUTF8 (RFC 6531). */
export function checkAddressOctets(path: string, smtputf8: boolean): Refusal | undefined {
  if (smtputf8 || !/[\x80-\xff]/.test(path)) return undefined;
  return refuse("non-ascii-address", "553 5.6.7 Non-ASCII address without SMTPUTF8");
}
