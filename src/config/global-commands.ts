/**
 * Global configuration mode: the first words of every command with effect, and `hostname`,
 * which needs no file of its own.
 */

import {
  accessListCommand,
  ipAccessListCommand,
  noAccessListCommand,
  noIpAccessListCommand,
} from "./access-list-commands.js";
import type { CommandContext, GlobalOutcome } from "./command-context.js";
import { ipInspectCommand, noIpInspectCommand } from "./inspect-commands.js";
import { interfaceCommand } from "./interface-commands.js";
import { enableCommand, lineCommand, noEnableCommand } from "./line-commands.js";
import {
  loggingCommand,
  noLoggingCommand,
  noServiceCommand,
  serviceCommand,
} from "./logging-commands.js";
import { DEFAULT_HOSTNAME } from "./model.js";
import {
  ipNatCommand,
  ipPortMapCommand,
  noIpNatCommand,
  noIpPortMapCommand,
} from "./nat-commands.js";
import { noPolicyMapCommand, policyMapCommand } from "./policy-map-commands.js";
import type { Cursor } from "./tokens.js";

type Handler = (cursor: Cursor, context: CommandContext) => GlobalOutcome;

const COMMANDS: Readonly<Record<string, Handler>> = {
  hostname: hostnameCommand,
  interface: interfaceCommand,
  ip: ipCommand,
  "access-list": accessListCommand,
  service: serviceCommand,
  logging: loggingCommand,
  enable: enableCommand,
  line: lineCommand,
  "policy-map": policyMapCommand,
  no: noCommand,
};

const IP_COMMANDS: Readonly<Record<string, Handler>> = {
  inspect: ipInspectCommand,
  "access-list": ipAccessListCommand,
  nat: ipNatCommand,
  "port-map": ipPortMapCommand,
};

const NO_COMMANDS: Readonly<Record<string, Handler>> = {
  hostname: noHostnameCommand,
  ip: noIpCommand,
  "access-list": noAccessListCommand,
  service: noServiceCommand,
  logging: noLoggingCommand,
  enable: noEnableCommand,
  "policy-map": noPolicyMapCommand,
};

const NO_IP_COMMANDS: Readonly<Record<string, Handler>> = {
  inspect: noIpInspectCommand,
  "access-list": noIpAccessListCommand,
  nat: noIpNatCommand,
  "port-map": noIpPortMapCommand,
};

function dispatch(
  table: Readonly<Record<string, Handler>>,
  cursor: Cursor,
  context: CommandContext,
): GlobalOutcome {
  const word = cursor.keyword(Object.keys(table));
  const handler = table[word];
  if (handler === undefined) throw new Error(`no handler for ${word}`);
  return handler(cursor, context);
}

export function globalCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  return dispatch(COMMANDS, cursor, context);
}

function ipCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  return dispatch(IP_COMMANDS, cursor, context);
}

function noCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  return dispatch(NO_COMMANDS, cursor, context);
}

function noIpCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  return dispatch(NO_IP_COMMANDS, cursor, context);
}

// RFC 1123 2.1 host names (a leading digit allowed, as in the source's `3640-123`).
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function hostnameCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const name = cursor.word();
  cursor.end();
  if (!HOSTNAME.test(name)) {
    cursor.refuse("% Hostname contains characters other than letters, digits and hyphens.", 1);
  }
  context.model.hostname = name;
  return { slot: "hostname" };
}

function noHostnameCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  while (!cursor.done) cursor.word();
  context.model.hostname = DEFAULT_HOSTNAME;
  return { slot: "hostname" };
}
