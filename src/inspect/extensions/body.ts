import type { EsmtpState } from "../esmtp-state.js";
import { badParameter, unsupportedParameter, type Refusal } from "../refusal.js";

/** RFC 6152 and RFC 3030: BODY=7BIT|8BITMIME|BINARYMIME, each only when advertised. */
export function checkBodyParameter(
  value: string | undefined,
  state: EsmtpState,
): Refusal | undefined {
  const body = value?.toUpperCase();
  if (body === "BINARYMIME") {
    if (!state.has("BINARYMIME") || !state.has("CHUNKING")) return unsupportedParameter("BODY");
    state.transaction.binary = true;
    state.transaction.eightBit = true;
    return undefined;
  }
  if (!state.has("8BITMIME")) return unsupportedParameter("BODY");
  if (body !== "7BIT" && body !== "8BITMIME") return badParameter("BODY");
  state.transaction.eightBit = body === "8BITMIME";
  return undefined;
}
