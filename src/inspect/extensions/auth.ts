import { isXtext } from "../../smtp/mail-arguments.js";
import type { EsmtpState } from "../esmtp-state.js";
import { badParameter, refuse, unsupportedParameter, type Refusal } from "../refusal.js";

/** RFC 4954 4: `AUTH mechanism [initial-response]`; a SASL name is 1 to 20 characters. */
const MECHANISM = /^[A-Z0-9_-]{1,20}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function checkAuthCommand(parameters: string, state: EsmtpState): Refusal | undefined {
  if (!state.has("AUTH")) return refuse("bad-sequence", "503 5.5.1 AUTH not available");
  // RFC 4954 4: one successful AUTH per session, and none inside a mail transaction.
  if (state.authenticated) return refuse("bad-sequence", "503 5.5.1 Already authenticated");
  if (state.sequenceKnown && state.transaction.mail !== "none") {
    return refuse("bad-sequence", "503 5.5.1 AUTH not permitted during a mail transaction");
  }
  const [mechanism = "", response, ...extra] = parameters.split(/[ \t]+/).filter((w) => w !== "");
  if (!MECHANISM.test(mechanism) || extra.length > 0) return badParameter("AUTH");
  if (response !== undefined && response !== "=" && !BASE64.test(response)) {
    return refuse("bad-parameter", "501 5.5.2 Invalid base64 in the initial response");
  }
  return undefined;
}

/** MAIL AUTH=xtext-mailbox or AUTH=<> (RFC 4954 5). */
export function checkAuthParameter(
  value: string | undefined,
  state: EsmtpState,
): Refusal | undefined {
  if (!state.has("AUTH")) return unsupportedParameter("AUTH");
  if (value === undefined || (value !== "<>" && !isXtext(value))) return badParameter("AUTH");
  return undefined;
}
