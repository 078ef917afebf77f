/**
 * Why an esmtp rule refuses a command the verb list allows, and the clear reply the client
 * gets in place of the server's answer to the masked line.
 */
export type RefusalReason =
  | "bad-sequence"
  | "bad-parameter"
  | "unsupported-parameter"
  | "shell-sequence"
  | "size-exceeded"
  | "too-many-recipients"
  | "sender-too-long"
  | "non-ascii-address"
  | "pipelining";

export interface Refusal {
  readonly reason: RefusalReason;
  /** The reply line the client receives, without CRLF (RFC 3463 enhanced code included). */
  readonly reply: string;
  /** "mask": the line is masked and answered; "reset": the session ends (ASA drop-connection). */
  readonly action: "mask" | "reset";
}

export function refuse(reason: RefusalReason, reply: string): Refusal {
  return { reason, reply, action: "mask" };
}

export const BAD_SEQUENCE_MAIL = refuse("bad-sequence", "503 5.5.1 Nested MAIL command");
export const BAD_SEQUENCE_RCPT = refuse("bad-sequence", "503 5.5.1 Need MAIL command");
export const BAD_SEQUENCE_DATA = refuse("bad-sequence", "503 5.5.1 Need RCPT command");

export function unsupportedParameter(keyword: string): Refusal {
  return refuse("unsupported-parameter", `555 5.5.4 Unsupported parameter ${keyword.slice(0, 32)}`);
}

export function badParameter(keyword: string): Refusal {
  return refuse("bad-parameter", `501 5.5.4 Invalid ${keyword.slice(0, 32)} parameter`);
}
