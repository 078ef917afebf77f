/**
 * A configuration session: lines applied one at a time against a model, in a mode (global, or
 * the sub-mode of an interface, a vty, a named access list, or an inert block), as IOS's
 * `configure terminal` does. Loading a file is a session fed every line of it.
 */

import type { ConfigProblem } from "../errors.js";
import { aclModeCommand } from "./access-list-commands.js";
import type { CommandContext, SubMode } from "./command-context.js";
import { globalCommand } from "./global-commands.js";
import { matchInert, type InertLine, type InertMode } from "./inert.js";
import { checkThresholds } from "./inspect-commands.js";
import { interfaceModeCommand } from "./interface-commands.js";
import { vtyModeCommand } from "./line-commands.js";
import { policyMapModeCommand } from "./policy-map-commands.js";
import {
  createRouterConfig,
  type GlobalSlot,
  type InterfaceSlot,
  type RouterConfig,
  type VtySlot,
} from "./model.js";
import { describeFailure } from "./problems.js";
import { CommandFailure, Cursor, tokenize, type Token } from "./tokens.js";

export type ConfigModeName = "global" | SubMode["kind"];

/** A line being applied: its text as written, its words, and where it is. */
interface LineInput {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly line: number;
  readonly indented: boolean;
}

export class ConfigSession {
  readonly #model: RouterConfig;
  #mode: SubMode | undefined;
  #globalSlot: GlobalSlot = "start";
  /** The slots of the last command with effect in the current sub-mode, for inert lines. */
  #interfaceSlot: InterfaceSlot = "start";
  #vtySlot: VtySlot = "start";
  readonly #inert: InertLine[] = [];
  readonly #settingLines = new Map<string, number>();
  #ended = false;

  constructor(model: RouterConfig = createRouterConfig()) {
    this.#model = model;
  }

  get model(): RouterConfig {
    return this.#model;
  }

  /** The inert lines applied so far, to be listed once as "not applicable". */
  get inert(): readonly InertLine[] {
    return this.#inert;
  }

  /** `end` was applied: later lines are ignored. */
  get ended(): boolean {
    return this.#ended;
  }

  get mode(): ConfigModeName {
    return this.#mode?.kind ?? "global";
  }

  /** The mode as IOS's prompt names it, for `hostname(config-if)#`. */
  get promptMode(): string {
    const mode = this.#mode;
    if (mode === undefined) return "config";
    if (mode.kind === "interface") return "config-if";
    if (mode.kind === "vty") return "config-line";
    if (mode.kind === "policy-map") return "config-pmap";
    if (mode.kind === "acl")
      return mode.target.kind === "extended" ? "config-ext-nacl" : "config-std-nacl";
    return `config-${mode.target.text.split(" ")[0] ?? "sub"}`;
  }

  /** Applies one line; answers the problem it has, if any. Never throws for bad input. */
  apply(text: string, line: number): ConfigProblem | undefined {
    const trimmed = text.trim();
    if (this.#ended || trimmed === "" || trimmed.startsWith("!")) return undefined;

    const input: LineInput = { text, tokens: tokenize(text), line, indented: /^\s/.test(text) };
    const word = trimmed.toLowerCase();
    if (word === "end" || word === "exit") {
      this.#ended = word === "end";
      this.#mode = undefined;
      return undefined;
    }

    const failure = this.#applyInMode(input);
    if (failure === undefined) return undefined;
    return { line, message: describeFailure(failure, text, input.tokens) };
  }

  /** Checks that need the whole text (high against low thresholds). */
  finish(): ConfigProblem[] {
    return checkThresholds(this.#model.inspect).map(({ family, message }) => ({
      line: this.#settingLines.get(family) ?? 0,
      message,
    }));
  }

  #applyInMode(input: LineInput): CommandFailure | undefined {
    const mode = this.#mode;
    if (mode === undefined) return this.#applyGlobal(input);

    const subFailure = this.#applySubMode(mode, input);
    if (subFailure === "done") return undefined;

    // IOS tries a line that its sub-mode does not know in global mode, and leaves the sub-mode.
    const globalFailure = this.#applyGlobal(input);
    if (globalFailure === undefined || subFailure === undefined) return globalFailure;
    return globalFailure.tokenIndex > subFailure.tokenIndex ? globalFailure : subFailure;
  }

  #applyGlobal(input: LineInput): CommandFailure | undefined {
    try {
      const outcome = globalCommand(new Cursor(input.tokens), this.#context(input.line));
      this.#globalSlot = outcome.slot;
      this.#enter(outcome.enter);
      return undefined;
    } catch (error) {
      const failure = asFailure(error);
      const inert = matchInert(input.text, "global");
      if (inert === undefined) return failure;

      const block = { anchor: this.#globalSlot, text: input.text.trim(), children: [] };
      this.#model.inert.push(block);
      this.#recordInert(input);
      this.#enter(inert.opensMode ? { kind: "inert", target: block } : undefined);
      return undefined;
    }
  }

  /** "done" when the sub-mode took the line; otherwise its failure, if it had one to report. */
  #applySubMode(mode: SubMode, input: LineInput): CommandFailure | "done" | undefined {
    if (mode.kind === "inert") {
      if (!input.indented) return undefined;
      mode.target.children.push(input.text.trim());
      this.#recordInert(input);
      return "done";
    }

    try {
      this.#runSubMode(mode, new Cursor(input.tokens));
      return "done";
    } catch (error) {
      const failure = asFailure(error);
      return this.#keepInertInSubMode(mode, input) ? "done" : failure;
    }
  }

  #runSubMode(mode: Exclude<SubMode, { kind: "inert" }>, cursor: Cursor): void {
    if (mode.kind === "interface") this.#interfaceSlot = interfaceModeCommand(cursor, mode.target);
    else if (mode.kind === "vty") this.#vtySlot = vtyModeCommand(cursor, mode.target, this.#model);
    else if (mode.kind === "policy-map") policyMapModeCommand(cursor, mode.target);
    else aclModeCommand(cursor, mode.target);
  }

  #keepInertInSubMode(mode: SubMode, input: LineInput): boolean {
    if (mode.kind !== "interface" && mode.kind !== "vty") return false;
    const inertMode: InertMode = mode.kind;
    if (matchInert(input.text, inertMode) === undefined) return false;

    const text = input.text.trim();
    if (mode.kind === "interface") {
      mode.target.inert.push({ anchor: this.#interfaceSlot, text, children: [] });
    } else {
      mode.target.inert.push({ anchor: this.#vtySlot, text, children: [] });
    }
    this.#recordInert(input);
    return true;
  }

  #enter(mode: SubMode | undefined): void {
    this.#mode = mode;
    this.#interfaceSlot = "start";
    this.#vtySlot = "start";
  }

  #recordInert(input: LineInput): void {
    this.#inert.push({ line: input.line, text: input.text.trim() });
  }

  #context(line: number): CommandContext {
    return { model: this.#model, line, settingLines: this.#settingLines };
  }
}

function asFailure(error: unknown): CommandFailure {
  // Anything else is a bug in a handler, not bad input: let it crash loudly.
  if (error instanceof CommandFailure) return error;
  throw error;
}
