/**
 * Where log messages go and how they are stamped: `logging buffered|host|trap` and
 * `service timestamps`, with `service password-encryption` beside them.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import {
  DEFAULT_LOGGING_BUFFER_OCTETS,
  LOG_LEVELS,
  type LoggingConfig,
  type LoggingHost,
  type LogLevel,
  type TimestampFormat,
} from "./model.js";
import { encryptPasswords } from "./line-commands.js";
import { loggingFormatCommand } from "./operations-commands.js";
import { CommandFailure, type Cursor } from "./tokens.js";
import { ipv4ToNumber, readAddress } from "./values.js";

// IOS: the logging buffer is 4096 to 2147483647 octets.
const MAX_LOGGING_BUFFER_OCTETS = 2_147_483_647;

export function loggingCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const logging = context.model.logging;

  // The old form `logging A.B.C.D` names a syslog host.
  if (ipv4ToNumber(cursor.peek() ?? "") !== undefined) {
    addHost(logging, readHost(cursor));
    return { slot: "logging" };
  }

  const what = cursor.keyword(["buffered", "host", "trap", "format"]);
  if (what === "buffered") {
    logging.buffered = readBuffered(cursor);
    return { slot: "logging-buffered" };
  }
  if (what === "format") {
    loggingFormatCommand(cursor, context);
    return { slot: "logging" };
  }
  if (what === "host") addHost(logging, readHost(cursor));
  else logging.trap = readLevelToEnd(cursor);
  return { slot: "logging" };
}

export function noLoggingCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const logging = context.model.logging;
  if (ipv4ToNumber(cursor.peek() ?? "") !== undefined) {
    const address = readAddress(cursor);
    cursor.end();
    removeHost(logging, address);
    return { slot: "logging" };
  }

  const what = cursor.keyword(["buffered", "host", "trap", "format"]);
  if (what === "format") {
    context.model.operations.syslogFormat = "rfc3164";
  } else if (what === "host") {
    const address = readAddress(cursor);
    cursor.end();
    removeHost(logging, address);
  } else if (what === "trap") {
    logging.trap = "informational";
  } else {
    logging.buffered = "disabled";
  }
  // `no logging buffered 8192 warnings` and the like: the values do not matter.
  while (!cursor.done) cursor.word();
  return { slot: what === "buffered" ? "logging-buffered" : "logging" };
}

function readBuffered(cursor: Cursor): { size: number; level: LogLevel } {
  let size = DEFAULT_LOGGING_BUFFER_OCTETS;
  let level: LogLevel = "debugging";

  const next = cursor.peek();
  // A small number is a severity (0-7); a large one is the buffer size.
  if (next !== undefined && /^\d+$/.test(next) && Number(next) > 7) {
    size = cursor.integer(DEFAULT_LOGGING_BUFFER_OCTETS, MAX_LOGGING_BUFFER_OCTETS, "Size");
  }
  if (!cursor.done) level = readLevel(cursor);
  cursor.end();
  return { size, level };
}

function readLevel(cursor: Cursor): LogLevel {
  const next = cursor.peek() ?? "";
  if (/^\d+$/.test(next)) {
    const index = cursor.integer(0, LOG_LEVELS.length - 1, "Severity");
    const level = LOG_LEVELS[index];
    if (level === undefined) throw new CommandFailure("invalid", cursor.index - 1);
    return level;
  }
  return cursor.keyword(LOG_LEVELS);
}

function readLevelToEnd(cursor: Cursor): LogLevel {
  const level = readLevel(cursor);
  cursor.end();
  return level;
}

function readHost(cursor: Cursor): LoggingHost {
  const address = readAddress(cursor);
  let transport: LoggingHost["transport"] = "udp";
  let port: number | undefined;

  if (cursor.optionalKeyword(["transport"]) !== undefined) {
    transport = cursor.keyword(["udp", "tcp"]);
    if (cursor.optionalKeyword(["port"]) !== undefined) port = cursor.integer(1, 65_535, "Port");
  }
  cursor.end();
  return { address, transport, port };
}

function addHost(logging: LoggingConfig, host: LoggingHost): void {
  removeHost(logging, host.address);
  logging.hosts.push(host);
}

function removeHost(logging: LoggingConfig, address: string): void {
  logging.hosts = logging.hosts.filter((host) => host.address !== address);
}

export function renderLoggingBuffered(logging: LoggingConfig): string[] {
  if (logging.buffered === undefined) return [];
  if (logging.buffered === "disabled") return ["no logging buffered"];
  return [`logging buffered ${logging.buffered.size} ${logging.buffered.level}`];
}

export function renderLogging(logging: LoggingConfig): string[] {
  const lines: string[] = [];
  if (logging.trap !== "informational") lines.push(`logging trap ${logging.trap}`);
  for (const host of logging.hosts) {
    const port = host.port === undefined ? "" : ` port ${host.port}`;
    const transport =
      host.transport === "udp" && port === "" ? "" : ` transport ${host.transport}${port}`;
    lines.push(`logging host ${host.address}${transport}`);
  }
  return lines;
}

/** `service timestamps ...` and `service password-encryption`. */
export function serviceCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(["timestamps", "password-encryption"]);
  if (what === "password-encryption") {
    cursor.end();
    context.model.passwordEncryption = true;
    encryptPasswords(context.model);
    return { slot: "services" };
  }

  const stream = cursor.optionalKeyword(["debug", "log"]) ?? "debug";
  const format = readTimestampFormat(cursor);
  context.model.timestamps[stream] = format;
  return { slot: "services" };
}

export function noServiceCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(["timestamps", "password-encryption"]);
  if (what === "password-encryption") {
    context.model.passwordEncryption = false;
  } else {
    const stream = cursor.optionalKeyword(["debug", "log"]);
    const none: TimestampFormat = { kind: "none" };
    if (stream === undefined) context.model.timestamps = { debug: none, log: none };
    else context.model.timestamps[stream] = none;
  }
  while (!cursor.done) cursor.word();
  return { slot: "services" };
}

function readTimestampFormat(cursor: Cursor): TimestampFormat {
  const kind = cursor.optionalKeyword(["uptime", "datetime"]) ?? "uptime";
  if (kind === "uptime") {
    cursor.end();
    return { kind };
  }

  const format = { kind, msec: false, localtime: false, showTimezone: false, year: false };
  while (!cursor.done) {
    const option = cursor.keyword(["msec", "localtime", "show-timezone", "year"]);
    if (option === "show-timezone") format.showTimezone = true;
    else format[option] = true;
  }
  return format;
}

export function renderServices(model: {
  passwordEncryption: boolean;
  timestamps: { log: TimestampFormat; debug: TimestampFormat };
}): string[] {
  const lines = (["debug", "log"] as const).map((stream) =>
    timestampLine(stream, model.timestamps[stream]),
  );
  if (model.passwordEncryption) lines.push("service password-encryption");
  return lines;
}

function timestampLine(stream: "debug" | "log", format: TimestampFormat): string {
  if (format.kind === "none") return `no service timestamps ${stream}`;
  if (format.kind === "uptime") return `service timestamps ${stream} uptime`;

  const words = [`service timestamps ${stream} datetime`];
  if (format.msec) words.push("msec");
  if (format.localtime) words.push("localtime");
  if (format.showTimezone) words.push("show-timezone");
  if (format.year) words.push("year");
  return words.join(" ");
}
