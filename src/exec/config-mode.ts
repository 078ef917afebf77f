/**
 * `configure terminal`: the lines of the configuration file, typed one at a time. Each line is
 * first tried on a throwaway copy, so that a refused line changes nothing; an accepted one is
 * applied to this console's candidate and the candidate is put in force at once, for new
 * sessions (running sessions keep the plan they started with).
 */

import { isDeepStrictEqual } from "node:util";

import { ConfigSession } from "../config/session.js";
import { cloneRouterConfig } from "../config/model.js";
import { configHelp } from "./config-help.js";
import { ok, rejected, type ExecAnswer } from "./exec-answer.js";
import type { ExecRuntime, LiveGateway } from "./exec-runtime.js";

export interface ConfigLineResult {
  readonly answer: ExecAnswer;
  /** `end`, Ctrl-Z, or `exit` at the top level: back to the exec prompt. */
  readonly leave: boolean;
  /** `do COMMAND`: an exec command to run from configuration mode. */
  readonly exec?: string | undefined;
}

export const ENTER_CONFIG_TEXT = "Enter configuration commands, one per line.  End with CNTL/Z.\n";

export class ConfigMode {
  readonly #runtime: ExecRuntime;
  readonly #live: LiveGateway;
  #session: ConfigSession;
  /** The line that entered the current sub-mode, to re-enter it on a fresh copy. */
  #entryLine: string | undefined;
  #generation: number;
  #lineNumber = 0;

  constructor(runtime: ExecRuntime, live: LiveGateway) {
    this.#runtime = runtime;
    this.#live = live;
    this.#session = new ConfigSession(cloneRouterConfig(runtime.model));
    this.#generation = live.generation;
  }

  /** `config`, `config-if`, `config-line`...: the part of the prompt in parentheses. */
  get promptMode(): string {
    return this.#session.promptMode;
  }

  async apply(line: string): Promise<ConfigLineResult> {
    const trimmed = line.trim();
    const word = trimmed.toLowerCase();
    if (trimmed === "" || trimmed.startsWith("!")) return stay(ok());
    if (word === "end") return { answer: ok(), leave: true };
    if (word === "exit" && this.#session.mode === "global") return { answer: ok(), leave: true };
    if (/^do\s/i.test(trimmed)) return { answer: ok(), leave: false, exec: trimmed.slice(3) };
    if (trimmed.endsWith("?")) return stay(configHelp(this.#session.mode, line.trimStart()));

    return stay(await this.#applyLine(line));
  }

  async #applyLine(line: string): Promise<ExecAnswer> {
    // Someone else put a configuration in force since: work on top of it, not over it.
    if (this.#generation !== this.#live.generation) this.#rebase();

    this.#lineNumber += 1;
    const refusal = this.#trial(line);
    if (refusal !== undefined) return refusal;

    const entersMode = this.#entersMode(line);
    this.#session.apply(line, this.#lineNumber);
    if (this.#session.mode === "global") this.#entryLine = undefined;
    else if (entersMode) this.#entryLine = line;

    // A line that only moves between modes (`exit`) has nothing to put in force.
    if (isDeepStrictEqual(this.#session.model, this.#runtime.model)) return ok();
    try {
      await this.#live.commit(cloneRouterConfig(this.#session.model));
      this.#generation = this.#live.generation;
      return ok();
    } catch (error) {
      this.#rebase();
      const why = error instanceof Error ? error.message : String(error);
      return rejected(`% ${why}\n`);
    }
  }

  /** The line on a copy in the same mode: its problem, if it has one. */
  #trial(line: string): ExecAnswer | undefined {
    const probe = new ConfigSession(cloneRouterConfig(this.#session.model));
    if (this.#entryLine !== undefined) probe.apply(this.#entryLine, 0);
    const problem = probe.apply(line, this.#lineNumber) ?? probe.finish()[0];
    return problem === undefined ? undefined : refusalOf(problem.message, line);
  }

  /** Whether the line, read at the top level, opens a sub-mode (`interface`, `line vty`...). */
  #entersMode(line: string): boolean {
    const probe = new ConfigSession(cloneRouterConfig(this.#session.model));
    return probe.apply(line, 0) === undefined && probe.mode !== "global";
  }

  #rebase(): void {
    const session = new ConfigSession(cloneRouterConfig(this.#runtime.model));
    // An inert block is not re-entered: its lines would be added to a second copy of it.
    if (this.#entryLine !== undefined && this.#session.mode !== "inert") {
      session.apply(this.#entryLine, 0);
    } else {
      this.#entryLine = undefined;
    }
    this.#session = session;
    this.#generation = this.#live.generation;
  }
}

function stay(answer: ExecAnswer): ConfigLineResult {
  return { answer, leave: false };
}

/**
 * The configuration parser words its problems for `smtpguard check`: the IOS message, the line,
 * and a caret line. A console draws its own caret, so only the message and the column are kept.
 */
function refusalOf(message: string, line: string): ExecAnswer {
  const [text = message, , caretLine] = message.split("\n");
  const column = caretLine?.indexOf("^") ?? -1;
  return column < 0 ? rejected(`${text}\n`) : rejected(`${text}\n`, { line, column });
}
