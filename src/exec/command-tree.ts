/**
 * The exec grammar as a tree of words: keywords (abbreviable where unambiguous, as IOS allows)
 * and arguments, each with the one-line help that `?` prints. Pure: resolving a line and
 * listing help touch nothing but the tree.
 */

import { matchKeyword, tokenize, type Token } from "../config/tokens.js";
import {
  ambiguousCommand,
  incompleteCommand,
  invalidInput,
  ok,
  textOf,
  type ExecAnswer,
} from "./exec-answer.js";

export type Privilege = "user" | "privileged";

/** One word of a command. `Context` is what handlers act on (the console and the gateway). */
export interface CommandNode<Context> {
  /** The keyword, or for an argument the placeholder help shows (`WORD`, `<0-512>`). */
  readonly word: string;
  readonly help: string;
  /** Present for an argument: whether a word fits here. */
  readonly accepts?: (word: string) => boolean;
  /** Only at the privileged level (`hostname#`). */
  readonly privileged?: boolean;
  readonly children?: readonly CommandNode<Context>[];
  /** Present when the command may end here (`<cr>` in help). */
  readonly run?: (context: Context, args: readonly string[]) => ExecAnswer | Promise<ExecAnswer>;
}

export type Resolution<Context> =
  | { readonly kind: "command"; readonly node: CommandNode<Context>; readonly args: string[] }
  | { readonly kind: "answer"; readonly answer: ExecAnswer };

type Step<Context> = CommandNode<Context> | "ambiguous" | undefined;

function visible<Context>(
  nodes: readonly CommandNode<Context>[],
  level: Privilege,
): CommandNode<Context>[] {
  return nodes.filter((node) => level === "privileged" || node.privileged !== true);
}

// A keyword wins over an argument, as on IOS (`show ip inspect name name` names a rule "name").
function matchWord<Context>(nodes: readonly CommandNode<Context>[], word: string): Step<Context> {
  const keywords = nodes.filter((node) => node.accepts === undefined);
  const keyword = matchKeyword(
    word,
    keywords.map((node) => node.word),
  );
  if (keyword === "ambiguous") return "ambiguous";
  if (keyword !== undefined) return keywords.find((node) => node.word === keyword);
  return nodes.find((node) => node.accepts?.(word) === true);
}

interface Walk<Context> {
  readonly node: CommandNode<Context> | undefined;
  readonly args: string[];
  /** The token that did not fit, when one did not. */
  readonly failedAt?: { readonly token: Token; readonly ambiguous: boolean };
}

function walk<Context>(
  roots: readonly CommandNode<Context>[],
  tokens: readonly Token[],
  level: Privilege,
): Walk<Context> {
  let choices = visible(roots, level);
  let node: CommandNode<Context> | undefined;
  const args: string[] = [];
  for (const token of tokens) {
    const next = matchWord(choices, token.text);
    if (next === undefined || next === "ambiguous") {
      return { node, args, failedAt: { token, ambiguous: next === "ambiguous" } };
    }
    node = next;
    if (next.accepts !== undefined) args.push(token.text);
    choices = visible(next.children ?? [], level);
  }
  return { node, args };
}

/** Finds the command a line names, or the IOS error that refuses it. */
export function resolve<Context>(
  roots: readonly CommandNode<Context>[],
  line: string,
  level: Privilege,
): Resolution<Context> {
  const tokens = tokenize(line);
  const { node, args, failedAt } = walk(roots, tokens, level);
  if (failedAt !== undefined) {
    const answer = failedAt.ambiguous
      ? ambiguousCommand(line)
      : invalidInput(line, failedAt.token.column);
    return { kind: "answer", answer };
  }
  if (node?.run === undefined) return { kind: "answer", answer: incompleteCommand() };
  return { kind: "command", node, args };
}

// The help column: the longest word and two spaces, as IOS lays out its lists.
function helpLines<Context>(nodes: readonly CommandNode<Context>[], runnable: boolean): string[] {
  const width = Math.max(0, ...nodes.map((node) => node.word.length)) + 2;
  const lines = nodes.map((node) => `  ${node.word.padEnd(width)}${node.help}`.trimEnd());
  if (runnable) lines.push("  <cr>");
  return lines;
}

/**
 * `?` at the end of a line: after a space, the words that may come next with their help; glued
 * to a word, the keywords that word could abbreviate. `heading` titles the list at the root
 * (IOS's `Exec commands:`).
 */
export function help<Context>(
  roots: readonly CommandNode<Context>[],
  lineWithMark: string,
  level: Privilege,
  heading: string,
): ExecAnswer {
  const line = lineWithMark.replace(/\?$/, "");
  const tokens = tokenize(line);
  const partial = line !== "" && !/\s$/.test(line) ? tokens.pop() : undefined;

  const { node, failedAt } = walk(roots, tokens, level);
  if (failedAt !== undefined) {
    return failedAt.ambiguous ? ambiguousCommand(line) : invalidInput(line, failedAt.token.column);
  }
  const choices = visible(node === undefined ? roots : (node.children ?? []), level);
  if (partial !== undefined) return completions(choices, partial.text, line, partial.column);

  const title = node === undefined ? [heading] : [];
  return ok(textOf([...title, ...helpLines(choices, node?.run !== undefined), ""]));
}

function completions<Context>(
  choices: readonly CommandNode<Context>[],
  prefix: string,
  line: string,
  column: number,
): ExecAnswer {
  const lower = prefix.toLowerCase();
  const words = choices
    .filter((node) =>
      node.accepts === undefined ? node.word.toLowerCase().startsWith(lower) : node.accepts(prefix),
    )
    .map((node) => node.word);
  if (words.length === 0) return invalidInput(line, column);
  return ok(textOf([words.join("  "), ""]));
}
