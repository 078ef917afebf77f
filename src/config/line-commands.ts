/**
 * Console access: `enable password|secret`, `line vty` with its `password` and `login`. Type-7
 * strings are decoded on the way in and kept, so a password prints back as it was given.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import type { LinePassword, RouterConfig, VtyLine, VtySlot } from "./model.js";
import { hashSecret, isType5Hash } from "./secret5.js";
import type { Cursor } from "./tokens.js";
import { decodeType7, encodeType7 } from "./type7.js";

// IOS numbers vty lines from 0; 12.3 images go up to 870 on the largest platforms.
const MAX_VTY_LINE = 870;

export function enableCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(["password", "secret"]);
  if (what === "password") {
    context.model.enablePassword = readPassword(cursor, context.model.passwordEncryption);
  } else {
    context.model.enableSecret = { hash: readSecret(cursor) };
  }
  return { slot: "enable" };
}

export function noEnableCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  const what = cursor.keyword(["password", "secret"]);
  while (!cursor.done) cursor.word();
  if (what === "password") context.model.enablePassword = undefined;
  else context.model.enableSecret = undefined;
  return { slot: "enable" };
}

/** `[0|7] TEXT`: type 0 is clear text, type 7 is decoded; clear text is encoded if IOS would. */
function readPassword(cursor: Cursor, encrypt: boolean): LinePassword {
  const type = cursor.peek() === "7" || cursor.peek() === "0" ? cursor.word() : undefined;
  if (type !== "7") {
    const text = cursor.rest();
    return { text, type7: encrypt ? encodeType7(text) : undefined };
  }

  const encoded = cursor.word();
  cursor.end();
  const text = decodeType7(encoded);
  if (text === undefined) cursor.refuse("% Invalid encrypted password: not a type 7 string.");
  return { text, type7: encoded.toUpperCase() };
}

function readSecret(cursor: Cursor): string {
  const type = cursor.peek() === "5" || cursor.peek() === "0" ? cursor.word() : undefined;
  if (type !== "5") return hashSecret(cursor.rest());

  const hash = cursor.word();
  cursor.end();
  if (!isType5Hash(hash)) cursor.refuse("% Invalid encrypted secret: not a type 5 hash.");
  return hash;
}

/** `line vty FIRST [LAST]`; console and aux lines are left to the inert table. */
export function lineCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  cursor.keyword(["vty"]);
  const first = cursor.integer(0, MAX_VTY_LINE, "Line");
  const last = cursor.done ? first : cursor.integer(first, MAX_VTY_LINE, "Line");
  cursor.end();

  const vtys = context.model.vtyLines;
  let vty = vtys.find((line) => line.first === first && line.last === last);
  if (vty === undefined) {
    vty = { first, last, password: undefined, login: false, inert: [] };
    vtys.push(vty);
  }
  return { slot: "vty", enter: { kind: "vty", target: vty } };
}

/** A line under `line vty`: `password`, `login` and their `no` forms. */
export function vtyModeCommand(cursor: Cursor, vty: VtyLine, model: RouterConfig): VtySlot {
  const negated = cursor.optionalKeyword(["no"]) !== undefined;
  const what = cursor.keyword(["password", "login"]);

  if (negated) {
    while (!cursor.done) cursor.word();
    if (what === "password") vty.password = undefined;
    else vty.login = false;
    return what;
  }
  if (what === "password") {
    vty.password = readPassword(cursor, model.passwordEncryption);
  } else {
    cursor.end();
    vty.login = true;
  }
  return what;
}

/** `service password-encryption` encodes every password already set, as IOS does at once. */
export function encryptPasswords(model: RouterConfig): void {
  const passwords = [model.enablePassword, ...model.vtyLines.map((vty) => vty.password)];
  for (const password of passwords) {
    if (password !== undefined) password.type7 ??= encodeType7(password.text);
  }
}

export function passwordText(password: LinePassword): string {
  return password.type7 === undefined ? password.text : `7 ${password.type7}`;
}

export function renderEnable(model: RouterConfig): string[] {
  const lines: string[] = [];
  if (model.enableSecret !== undefined) lines.push(`enable secret 5 ${model.enableSecret.hash}`);
  if (model.enablePassword !== undefined) {
    lines.push(`enable password ${passwordText(model.enablePassword)}`);
  }
  return lines;
}
