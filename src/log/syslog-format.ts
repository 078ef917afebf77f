/**
 * The two syslog message formats `logging format` chooses between: IOS's own BSD form
 * (RFC 3164) and the structured header of RFC 5424.
 */

import { limitOctets } from "./arguments.js";
import { lineText, type FwLine } from "./log-sink.js";

export type SyslogFormat = "rfc3164" | "rfc5424";

/** RFC 5424 6.1: every receiver takes 480 octets, and should take 2048. */
export const MAX_SYSLOG_MESSAGE_OCTETS = 2048;

/** RFC 5424 6.2.5: APP-NAME is at most 48 printable octets. */
const APP_NAME = "smtpguard";

export interface SyslogHeaderOptions {
  readonly facility: number;
  /** The router's name (`hostname`); RFC 3164 leaves it out unless `logging origin-id`. */
  readonly hostname?: string | undefined;
  /** The IOS message counter, RFC 3164 only. */
  readonly sequence?: number | undefined;
}

/** One message as text, within `maxOctets`. */
export function formatSyslog(
  format: SyslogFormat,
  line: FwLine,
  options: SyslogHeaderOptions,
  maxOctets = MAX_SYSLOG_MESSAGE_OCTETS,
): string {
  const pri = `<${options.facility * 8 + line.severity}>`;
  const text = format === "rfc3164" ? bsdBody(line, options) : structuredBody(line, options);
  return limitOctets(`${pri}${text}`, maxOctets);
}

function bsdBody(line: FwLine, options: SyslogHeaderOptions): string {
  const counter = options.sequence === undefined ? "" : `${options.sequence}: `;
  const origin = options.hostname === undefined ? "" : `${options.hostname}: `;
  return `${counter}${origin}${lineText(line)}`;
}

// RFC 5424 6: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG];
// the timestamp is in the header, so the message is the %FW- text without the IOS prefix.
function structuredBody(line: FwLine, options: SyslogHeaderOptions): string {
  const hostname = options.hostname ?? "-";
  const msgid = line.mnemonic.slice(0, 32) || "-";
  return `1 ${line.date.toISOString()} ${hostname} ${APP_NAME} ${process.pid} ${msgid} - ${line.message}`;
}
