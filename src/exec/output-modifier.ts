/**
 * IOS output modifiers: `show ... | include REGEX`, `| exclude REGEX`, `| begin REGEX`, which
 * filter a command's output line by line. Pure.
 */

import { matchKeyword } from "../config/tokens.js";
import { invalidInput, incompleteCommand, type ExecAnswer } from "./exec-answer.js";

const MODIFIERS = ["begin", "exclude", "include"] as const;

type ModifierName = (typeof MODIFIERS)[number];

export interface OutputModifier {
  readonly name: ModifierName;
  readonly pattern: RegExp;
}

export type SplitLine =
  | { readonly command: string; readonly modifier: OutputModifier | undefined }
  | { readonly refusal: ExecAnswer };

/** Splits `command | modifier pattern`; the pattern is a regular expression, as on IOS. */
export function splitModifier(line: string): SplitLine {
  const bar = line.indexOf("|");
  if (bar === -1) return { command: line, modifier: undefined };

  const command = line.slice(0, bar);
  const rest = line.slice(bar + 1);
  const word = /^\s*(\S+)\s*(.*)$/.exec(rest);
  const nameAt = bar + 1 + (rest.length - rest.trimStart().length);
  if (word === null) return { refusal: incompleteCommand() };

  const name = matchKeyword(word[1] ?? "", MODIFIERS);
  if (name === undefined || name === "ambiguous") return { refusal: invalidInput(line, nameAt) };
  const source = (word[2] ?? "").trim();
  if (source === "") return { refusal: incompleteCommand() };
  try {
    return { command, modifier: { name, pattern: new RegExp(source) } };
  } catch {
    return { refusal: invalidInput(line, line.lastIndexOf(source)) };
  }
}

export function applyModifier(text: string, modifier: OutputModifier): string {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const { pattern } = modifier;
  let kept: string[];
  if (modifier.name === "include") kept = lines.filter((line) => pattern.test(line));
  else if (modifier.name === "exclude") kept = lines.filter((line) => !pattern.test(line));
  else {
    const start = lines.findIndex((line) => pattern.test(line));
    kept = start === -1 ? [] : lines.slice(start);
  }
  return kept.map((line) => `${line}\n`).join("");
}
