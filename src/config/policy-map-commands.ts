/**
 * The ASA-style esmtp policy (SPEC section 8), in IOS dress:
 *
 *   policy-map type inspect esmtp NAME
 *    parameters
 *     mask-banner | allow-tls | no special-character
 *     terminate-tls certificate PEM-FILE key PEM-FILE        (ours)
 *    match cmd RCPT count gt N | match header line length gt N | match body line length gt N
 *      | match sender-address length gt N | match cmd line length gt N
 *      | match ehlo-reply-parameter others
 *     drop-connection [log] | reset [log] | log | mask [log]
 *
 * bound to a rule with `ip inspect name RULE esmtp policy-map NAME`. Sub-mode lines are read
 * in one mode: `parameters` only marks where the parameters go, and an action belongs to the
 * match before it.
 */

import type { CommandContext, GlobalOutcome } from "./command-context.js";
import type { EsmtpPolicyMap, PolicyMatch, PolicyMatchAction, RouterConfig } from "./model.js";
import type { Cursor } from "./tokens.js";

const MAX_LENGTH = 65_535;
const MAX_COUNT = 100_000;

/** `policy-map type inspect esmtp NAME`: enters the policy map's mode. */
export function policyMapCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  cursor.keyword(["type"]);
  cursor.keyword(["inspect"]);
  cursor.keyword(["esmtp"]);
  const name = cursor.word();
  cursor.end();
  const maps = policyMaps(context.model);
  let map = maps.find((candidate) => candidate.name === name);
  if (map === undefined) {
    map = { name, maskBanner: false, allowTls: false, specialCharacter: true, matches: [] };
    maps.push(map);
  }
  return { slot: "policy-map", enter: { kind: "policy-map", target: map } };
}

export function noPolicyMapCommand(cursor: Cursor, context: CommandContext): GlobalOutcome {
  cursor.keyword(["type"]);
  cursor.keyword(["inspect"]);
  cursor.keyword(["esmtp"]);
  const name = cursor.word();
  cursor.end();
  const maps = policyMaps(context.model);
  const index = maps.findIndex((candidate) => candidate.name === name);
  if (index >= 0) maps.splice(index, 1);
  return { slot: "policy-map" };
}

/** A line inside the policy map. */
export function policyMapModeCommand(cursor: Cursor, map: EsmtpPolicyMap): void {
  const word = cursor.keyword([
    "parameters",
    "mask-banner",
    "allow-tls",
    "terminate-tls",
    "pipelining-violation",
    "special-character",
    "no",
    "match",
    "drop-connection",
    "reset",
    "log",
    "mask",
  ]);
  switch (word) {
    case "parameters":
      cursor.end();
      return;
    case "mask-banner":
    case "allow-tls":
    case "special-character":
      cursor.end();
      setParameter(map, word, true);
      return;
    case "terminate-tls":
      map.terminateTls = readCredentials(cursor);
      return;
    case "pipelining-violation": {
      const action = cursor.keyword(["mask", "log"]);
      cursor.end();
      map.maskPipeliningViolation = action === "mask";
      return;
    }
    case "no":
      if (cursor.optionalKeyword(["terminate-tls"]) !== undefined) {
        while (!cursor.done) cursor.word();
        delete map.terminateTls;
        return;
      }
      setParameter(map, readParameterName(cursor), false);
      return;
    case "match":
      map.matches.push(readMatch(cursor));
      return;
    default:
      setAction(cursor, map, word);
  }
}

function readCredentials(cursor: Cursor): { certificate: string; key: string } {
  cursor.keyword(["certificate"]);
  const certificate = cursor.word();
  cursor.keyword(["key"]);
  const key = cursor.word();
  cursor.end();
  return { certificate, key };
}

function readParameterName(cursor: Cursor): "mask-banner" | "allow-tls" | "special-character" {
  const name = cursor.keyword(["mask-banner", "allow-tls", "special-character"]);
  cursor.end();
  return name;
}

function setParameter(
  map: EsmtpPolicyMap,
  name: "mask-banner" | "allow-tls" | "special-character",
  on: boolean,
): void {
  if (name === "mask-banner") map.maskBanner = on;
  else if (name === "allow-tls") map.allowTls = on;
  else map.specialCharacter = on;
}

function readMatch(cursor: Cursor): PolicyMatch {
  const what = cursor.keyword([
    "cmd",
    "header",
    "body",
    "sender-address",
    "ehlo-reply-parameter",
    "MIME",
  ]);
  if (what === "MIME") {
    cursor.keyword(["filename"]);
    cursor.keyword(["length"]);
    return {
      criterion: "mime-filename",
      value: readGreaterThan(cursor, MAX_LENGTH),
      action: undefined,
    };
  }
  if (what === "ehlo-reply-parameter") {
    const word = cursor.word();
    cursor.end();
    if (word.toLowerCase() === "others")
      return { criterion: "ehlo-others", value: 0, action: undefined };
    // A keyword of its own narrows what is passed: `match ehlo-reply-parameter 8BITMIME`.
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(word)) cursor.refuse("% Invalid EHLO keyword.");
    return { criterion: "ehlo-keyword", value: 0, keyword: word.toUpperCase(), action: undefined };
  }
  if (what === "cmd") {
    const which = cursor.keyword(["RCPT", "line"]);
    if (which === "RCPT") {
      cursor.keyword(["count"]);
      return {
        criterion: "rcpt-count",
        value: readGreaterThan(cursor, MAX_COUNT),
        action: undefined,
      };
    }
    cursor.keyword(["length"]);
    return { criterion: "cmd-line", value: readGreaterThan(cursor, MAX_LENGTH), action: undefined };
  }
  if (what === "sender-address") {
    cursor.keyword(["length"]);
    return { criterion: "sender", value: readGreaterThan(cursor, MAX_LENGTH), action: undefined };
  }
  cursor.keyword(["line"]);
  cursor.keyword(["length"]);
  const criterion = what === "header" ? "header-line" : "body-line";
  return { criterion, value: readGreaterThan(cursor, MAX_LENGTH), action: undefined };
}

function readGreaterThan(cursor: Cursor, max: number): number {
  cursor.keyword(["gt"]);
  const value = cursor.integer(1, max, "Value");
  cursor.end();
  return value;
}

function setAction(cursor: Cursor, map: EsmtpPolicyMap, word: PolicyMatchAction["kind"]): void {
  const match = map.matches.at(-1);
  const log = word !== "log" && cursor.optionalKeyword(["log"]) !== undefined;
  cursor.end();
  if (match === undefined) cursor.refuse("% A match must come before its action.", 0);
  if (word === "mask" && match.criterion !== "ehlo-others" && match.criterion !== "ehlo-keyword") {
    cursor.refuse("% mask is available for ehlo-reply-parameter only.", 0);
  }
  match.action = { kind: word, log: log || word === "log" };
}

/** The running-config lines of every policy map. */
export function renderPolicyMaps(model: RouterConfig): string[][] {
  return (model.policyMaps ?? []).map((map) => [
    `policy-map type inspect esmtp ${map.name}`,
    " parameters",
    ...(map.maskBanner ? ["  mask-banner"] : []),
    ...(map.allowTls ? ["  allow-tls"] : []),
    ...(map.terminateTls === undefined
      ? []
      : [
          `  terminate-tls certificate ${map.terminateTls.certificate} key ${map.terminateTls.key}`,
        ]),
    ...(map.specialCharacter ? [] : ["  no special-character"]),
    ...(map.maskPipeliningViolation === true ? ["  pipelining-violation mask"] : []),
    ...map.matches.flatMap(renderMatch),
  ]);
}

function renderMatch(match: PolicyMatch): string[] {
  const text = {
    "rcpt-count": `match cmd RCPT count gt ${match.value}`,
    "cmd-line": `match cmd line length gt ${match.value}`,
    "header-line": `match header line length gt ${match.value}`,
    "body-line": `match body line length gt ${match.value}`,
    sender: `match sender-address length gt ${match.value}`,
    "ehlo-others": "match ehlo-reply-parameter others",
    "ehlo-keyword": `match ehlo-reply-parameter ${match.keyword ?? ""}`,
    "mime-filename": `match MIME filename length gt ${match.value}`,
  }[match.criterion];
  const action = match.action;
  if (action === undefined) return [` ${text}`];
  const words = action.kind === "log" ? "log" : `${action.kind}${action.log ? " log" : ""}`;
  return [` ${text}`, `  ${words}`];
}

export function policyMaps(model: RouterConfig): EsmtpPolicyMap[] {
  model.policyMaps ??= [];
  return model.policyMaps;
}
