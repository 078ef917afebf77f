/**
 * Who may use a vty, as `line vty` says: the lines that exist, whether `login` asks for the
 * line password, and the three tries IOS allows. Pure: the vty server asks, this answers.
 */

import type { RouterConfig, VtyLine } from "../config/model.js";

/** IOS's vty lines when the configuration has no `line vty`: 0 to 4, `login`, no password. */
const DEFAULT_VTY: VtyLine = { first: 0, last: 4, password: undefined, login: true, inert: [] };

/** Tries at the line password before IOS drops the connection. */
export const MAX_LOGIN_TRIES = 3;

/** The vty numbers a configuration has, lowest first. */
export function vtyNumbers(model: RouterConfig): number[] {
  const ranges = model.vtyLines.length === 0 ? [DEFAULT_VTY] : model.vtyLines;
  const numbers = new Set<number>();
  for (const range of ranges) {
    for (let number = range.first; number <= range.last; number += 1) numbers.add(number);
  }
  return [...numbers].sort((a, b) => a - b);
}

/** The settings of one vty: the last `line vty` range that names it wins, as IOS merges them. */
export function vtySettings(model: RouterConfig, number: number): VtyLine {
  const ranges = model.vtyLines.length === 0 ? [DEFAULT_VTY] : model.vtyLines;
  const covering = ranges.filter((range) => range.first <= number && number <= range.last);
  return covering.at(-1) ?? DEFAULT_VTY;
}

/** IOS's refusal when `login` is set and no `password` is. */
export function loginDisabledText(number: number): string {
  return `% Login disabled on line ${number}, until 'password' is set`;
}

export type LoginVerdict = "accepted" | "retry" | "refused";

/** The password prompt of one connection: three tries, then refused. */
export class LoginGate {
  readonly #matches: (candidate: string) => boolean;
  #tries = 0;

  constructor(matches: (candidate: string) => boolean) {
    this.#matches = matches;
  }

  check(candidate: string): LoginVerdict {
    if (this.#tries >= MAX_LOGIN_TRIES) return "refused";
    if (this.#matches(candidate)) return "accepted";
    this.#tries += 1;
    return this.#tries >= MAX_LOGIN_TRIES ? "refused" : "retry";
  }
}
