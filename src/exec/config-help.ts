/**
 * `?` in configuration mode: the first words each mode accepts, with IOS's help strings. The
 * configuration grammar lives in src/config/ and has no help of its own, so help past the first
 * word is not offered (the README lists this among the limitations).
 */

import type { ConfigModeName } from "../config/session.js";
import { ok, rejected, textOf, type ExecAnswer } from "./exec-answer.js";

type HelpList = readonly (readonly [word: string, help: string])[];

const LEAVE: HelpList = [
  ["do", "To run exec commands in config mode"],
  ["end", "Exit from configure mode"],
  ["exit", "Exit from configure mode"],
];

const GLOBAL: HelpList = [
  ["access-list", "Add an access list entry"],
  ...LEAVE,
  ["enable", "Modify enable password parameters"],
  ["hostname", "Set system's network name"],
  ["interface", "Select an interface to configure"],
  ["ip", "Global IP configuration subcommands"],
  ["line", "Configure a terminal line"],
  ["logging", "Modify message logging facilities"],
  ["no", "Negate a command or set its defaults"],
  ["service", "Modify use of network based services"],
];

const INTERFACE: HelpList = [
  ...LEAVE,
  ["ip", "Interface Internet Protocol config commands"],
  ["no", "Negate a command or set its defaults"],
  ["shutdown", "Shutdown the selected interface"],
];

const VTY: HelpList = [
  ...LEAVE,
  ["login", "Enable password checking"],
  ["no", "Negate a command or set its defaults"],
  ["password", "Set a password"],
];

const TITLES: Readonly<Record<string, readonly [string, HelpList]>> = {
  global: ["Configure commands:", GLOBAL],
  interface: ["Interface configuration commands:", INTERFACE],
  vty: ["Line configuration commands:", VTY],
};

export function configHelp(mode: ConfigModeName, lineWithMark: string): ExecAnswer {
  const before = lineWithMark.replace(/\?$/, "");
  const [title, list] = TITLES[mode] ?? [`Configure commands:`, GLOBAL];
  if (before.trim() === "") {
    const width = Math.max(...list.map(([word]) => word.length)) + 2;
    return ok(textOf([title, ...list.map(([word, text]) => `  ${word.padEnd(width)}${text}`), ""]));
  }

  // A word being typed: the first words it could abbreviate.
  if (!/\s/.test(before.trim()) && !/\s$/.test(before)) {
    const prefix = before.trim().toLowerCase();
    const words = list.map(([word]) => word).filter((word) => word.startsWith(prefix));
    if (words.length > 0) return ok(textOf([words.join("  "), ""]));
  }
  return rejected("% Help past the first word is not available in configuration mode\n");
}
