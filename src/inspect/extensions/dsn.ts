import { isXtext } from "../../smtp/mail-arguments.js";
import type { EsmtpState } from "../esmtp-state.js";
import { badParameter, unsupportedParameter, type Refusal } from "../refusal.js";

/** RFC 3461 4.4 and 4.2: ENVID at most 100 characters, ORCPT at most 500. */
const MAX_ENVID = 100;
const MAX_ORCPT = 500;
const NOTIFY_WORDS = new Set(["SUCCESS", "FAILURE", "DELAY"]);

/** MAIL RET and ENVID, RCPT NOTIFY and ORCPT (RFC 3461). */
export function checkDsnParameter(
  keyword: string,
  value: string | undefined,
  state: EsmtpState,
): Refusal | undefined {
  if (!state.has("DSN")) return unsupportedParameter(keyword);
  if (value === undefined) return badParameter(keyword);
  return validDsnValue(keyword, value) ? undefined : badParameter(keyword);
}

function validDsnValue(keyword: string, value: string): boolean {
  switch (keyword) {
    case "RET":
      return /^(FULL|HDRS)$/i.test(value);
    case "ENVID":
      return value.length <= MAX_ENVID && isXtext(value);
    case "NOTIFY":
      return validNotify(value.toUpperCase());
    default: {
      // ORCPT=addr-type ";" xtext
      const semicolon = value.indexOf(";");
      return (
        value.length <= MAX_ORCPT &&
        semicolon > 0 &&
        /^[A-Za-z0-9-]+$/.test(value.slice(0, semicolon)) &&
        isXtext(value.slice(semicolon + 1))
      );
    }
  }
}

// NEVER alone, or a list of SUCCESS, FAILURE and DELAY.
function validNotify(value: string): boolean {
  if (value === "NEVER") return true;
  const words = value.split(",");
  return words.every((word) => NOTIFY_WORDS.has(word)) && new Set(words).size === words.length;
}
