/**
 * RFC 2920 3.1: EHLO, DATA, VRFY, EXPN, TURN, QUIT and NOOP "can only appear as the last
 * command in a group"; extension commands are sync points unless their RFC says otherwise
 * (STARTTLS and AUTH are; BDAT is not).
 */
export const SYNC_POINTS: ReadonlySet<string> = new Set([
  "EHLO",
  "HELO",
  "DATA",
  "VRFY",
  "EXPN",
  "TURN",
  "QUIT",
  "NOOP",
  "STARTTLS",
  "AUTH",
  "ETRN",
]);
