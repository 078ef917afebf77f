/**
 * Words of one command line and a cursor that reads them the way the IOS parser does: keywords
 * may be cut short where no other keyword at that place starts the same way.
 */

export interface Token {
  readonly text: string;
  /** 0-based column in the line as written, for the caret under a bad word. */
  readonly column: number;
}

export type FailureKind = "invalid" | "incomplete" | "ambiguous" | "refused";

/**
 * Why a line could not be applied. Thrown inside the parser only: the session turns it into a
 * ConfigProblem, so it never escapes to a caller.
 */
export class CommandFailure extends Error {
  readonly kind: FailureKind;
  /** Index of the offending token; the token count for an incomplete command. */
  readonly tokenIndex: number;

  constructor(kind: FailureKind, tokenIndex: number, message = "") {
    super(message);
    this.kind = kind;
    this.tokenIndex = tokenIndex;
  }
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  for (const match of line.matchAll(/\S+/g)) {
    tokens.push({ text: match[0], column: match.index });
  }
  return tokens;
}

/**
 * Resolves a possibly abbreviated word among keywords: an exact match wins, otherwise the word
 * must start exactly one keyword. Returns "ambiguous" or undefined when it cannot decide.
 */
export function matchKeyword<K extends string>(
  word: string,
  keywords: readonly K[],
): K | "ambiguous" | undefined {
  const lower = word.toLowerCase();
  const exact = keywords.find((keyword) => keyword.toLowerCase() === lower);
  if (exact !== undefined) return exact;

  const candidates = keywords.filter((keyword) => keyword.toLowerCase().startsWith(lower));
  if (candidates.length > 1) return "ambiguous";
  return candidates[0];
}

export class Cursor {
  readonly tokens: readonly Token[];
  #index: number;

  constructor(tokens: readonly Token[], start = 0) {
    this.tokens = tokens;
    this.#index = start;
  }

  get index(): number {
    return this.#index;
  }

  /** How many words are left. */
  get remaining(): number {
    return this.tokens.length - this.#index;
  }

  get done(): boolean {
    return this.#index >= this.tokens.length;
  }

  peek(): string | undefined {
    return this.tokens[this.#index]?.text;
  }

  /** The next word, whatever it is (a name, an address). */
  word(): string {
    const token = this.tokens[this.#index];
    if (token === undefined) throw new CommandFailure("incomplete", this.#index);
    this.#index += 1;
    return token.text;
  }

  /** Everything left on the line, as written between the words. */
  rest(): string {
    if (this.done) throw new CommandFailure("incomplete", this.#index);
    const words = this.tokens.slice(this.#index).map((token) => token.text);
    this.#index = this.tokens.length;
    return words.join(" ");
  }

  keyword<K extends string>(keywords: readonly K[]): K {
    const token = this.tokens[this.#index];
    if (token === undefined) throw new CommandFailure("incomplete", this.#index);

    const found = matchKeyword(token.text, keywords);
    if (found === "ambiguous") throw new CommandFailure("ambiguous", this.#index);
    if (found === undefined) throw new CommandFailure("invalid", this.#index);
    this.#index += 1;
    return found;
  }

  /** A keyword if the next word is one of them; nothing is consumed otherwise. */
  optionalKeyword<K extends string>(keywords: readonly K[]): K | undefined {
    const token = this.tokens[this.#index];
    if (token === undefined) return undefined;

    const found = matchKeyword(token.text, keywords);
    if (found === undefined || found === "ambiguous") return undefined;
    this.#index += 1;
    return found;
  }

  /** A decimal integer within an inclusive range, named in the message when it is not. */
  integer(min: number, max: number, what: string): number {
    const at = this.#index;
    const text = this.word();
    if (!/^\d+$/.test(text)) throw new CommandFailure("invalid", at);

    const value = Number(text);
    if (value < min || value > max) {
      throw new CommandFailure("refused", at, `% ${what} ${text} is out of range ${min}-${max}.`);
    }
    return value;
  }

  /** Refuses the word just read (or the next one) with an explanation. */
  refuse(message: string, at = this.#index - 1): never {
    throw new CommandFailure("refused", at, message);
  }

  /** The command must end here. */
  end(): void {
    if (!this.done) throw new CommandFailure("invalid", this.#index);
  }
}
