import type { EsmtpState } from "../esmtp-state.js";
import { refuse, type Refusal } from "../refusal.js";

/** RFC 1985: ETRN node, where node is a domain, "@" domain, or "#" queue name. */
const NODE =
  /^(?:@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|#[\x21-\x7e]+)$/;

export function checkEtrnCommand(parameters: string, state: EsmtpState): Refusal | undefined {
  if (!state.has("ETRN")) return refuse("bad-sequence", "502 5.5.1 ETRN not available");
  return NODE.test(parameters.trim())
    ? undefined
    : refuse("bad-parameter", "501 5.5.4 Syntax: ETRN node");
}
