import type { EsmtpState } from "../esmtp-state.js";
import { badParameter, refuse, unsupportedParameter, type Refusal } from "../refusal.js";

/** RFC 1870: MAIL SIZE=1*20DIGIT, only when SIZE is advertised. */
const SIZE_VALUE = /^\d{1,20}$/;

/** A declared size over max-data is refused before any content is sent (552, RFC 1870 6). */
export function checkSizeParameter(
  value: string | undefined,
  state: EsmtpState,
  maxData: number,
): Refusal | undefined {
  if (!state.has("SIZE")) return unsupportedParameter("SIZE");
  if (value === undefined || !SIZE_VALUE.test(value)) return badParameter("SIZE");
  if (Number(value) > maxData) {
    return refuse("size-exceeded", "552 5.3.4 Message size exceeds fixed maximum message size");
  }
  return undefined;
}
