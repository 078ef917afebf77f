/**
 * One exec session, whatever carries it (a vty, a control-socket connection): the prompt, the
 * privilege level, `enable`, configuration mode, and the debug and monitor output it asked
 * for. Lines in, answers out; the transport only moves text.
 */

import assert from "node:assert/strict";
import { timingSafeEqual } from "node:crypto";

import { verifySecret } from "../config/secret5.js";
import { help, resolve, type Privilege } from "./command-tree.js";
import { ConfigMode, ENTER_CONFIG_TEXT } from "./config-mode.js";
import { debugFlagMessage, type DebugFlag } from "./debug-trace.js";
import { EXEC_COMMANDS, type ConsoleActions } from "./exec-commands.js";
import {
  ok,
  rejected,
  renderAnswer,
  textOf,
  type ExecAnswer,
  type ExecStatus,
} from "./exec-answer.js";
import type { ExecRuntime } from "./exec-runtime.js";
import { applyModifier, splitModifier } from "./output-modifier.js";
import { OFFLINE_REFUSAL } from "./show-commands.js";
import type { TraceSubscription } from "./trace-hub.js";

/** IOS gives three tries at a password, then gives up. */
export const MAX_PASSWORD_TRIES = 3;

const MODIFIER_HELP = textOf([
  "  begin    Begin with the line that matches",
  "  exclude  Exclude lines that match",
  "  include  Include lines that match",
  "",
]);

export type ConsoleState = "exec" | "enable-password" | "config" | "closed";

const MOVES: Readonly<Record<ConsoleState, readonly ConsoleState[]>> = {
  exec: ["enable-password", "config", "closed"],
  "enable-password": ["exec", "closed"],
  config: ["exec", "closed"],
  closed: [],
};

export interface ExecConsoleOptions {
  readonly runtime: ExecRuntime;
  readonly privilege: Privilege;
  /**
   * True on a vty, whose terminal shows the typed line after the prompt: the caret is drawn
   * there. False on the control socket, where the line is echoed above the caret.
   */
  readonly caretAfterPrompt: boolean;
  /** Debug and monitor lines, whenever they come, without a line end. */
  readonly unsolicited: (line: string) => void;
}

export interface ConsoleReply {
  readonly status: ExecStatus;
  /** What to print, every line ended by "\n". */
  readonly text: string;
}

export class ExecConsole implements ConsoleActions {
  readonly runtime: ExecRuntime;
  readonly #options: ExecConsoleOptions;
  #state: ConsoleState = "exec";
  #privilege: Privilege;
  #config: ConfigMode | undefined;
  #passwordTries = 0;
  #trace: TraceSubscription | undefined;
  #stopMonitor: (() => void) | undefined;

  constructor(options: ExecConsoleOptions) {
    this.#options = options;
    this.runtime = options.runtime;
    this.#privilege = options.privilege;
  }

  get state(): ConsoleState {
    return this.#state;
  }

  get prompt(): string {
    const hostname = this.runtime.model.hostname;
    switch (this.#state) {
      case "closed":
        return "";
      case "enable-password":
        return "Password: ";
      case "config":
        return `${hostname}(${this.#config?.promptMode ?? "config"})#`;
      case "exec":
        return `${hostname}${this.#privilege === "privileged" ? "#" : ">"}`;
    }
  }

  /** The next line is a password: it must not be echoed, logged or kept. */
  get hidesInput(): boolean {
    return this.#state === "enable-password";
  }

  /** Debug or monitor output may arrive at any time. */
  get streaming(): boolean {
    return (this.#trace?.flags.size ?? 0) > 0 || this.#stopMonitor !== undefined;
  }

  get debugFlags(): ReadonlySet<DebugFlag> {
    return this.#trace?.flags ?? new Set();
  }

  async handle(line: string): Promise<ConsoleReply> {
    const indent = this.#options.caretAfterPrompt ? this.prompt.length : undefined;
    const answer = await this.#dispatch(line);
    return { status: answer.status, text: renderAnswer(answer, indent) };
  }

  /** Stops the debug and monitor output; the transport is going away. */
  close(): void {
    this.undebugAll();
    this.#monitorOff();
    if (this.#trace !== undefined) this.runtime.live?.trace.unsubscribe(this.#trace);
    this.#trace = undefined;
    this.#moveTo("closed");
  }

  #dispatch(line: string): Promise<ExecAnswer> | ExecAnswer {
    switch (this.#state) {
      case "closed":
        return ok();
      case "enable-password":
        return this.#checkEnablePassword(line);
      case "config":
        return this.#configLine(line);
      case "exec":
        return this.#execLine(line.replace(/\x1a/g, ""));
    }
  }

  async #execLine(line: string): Promise<ExecAnswer> {
    if (line.trim() === "") return ok();
    if (line.trimEnd().endsWith("?")) {
      if (line.includes("|")) return ok(MODIFIER_HELP);
      return help(EXEC_COMMANDS, line.trim(), this.#privilege, "Exec commands:");
    }
    const split = splitModifier(line);
    if ("refusal" in split) return split.refusal;

    const found = resolve(EXEC_COMMANDS, split.command, this.#privilege);
    if (found.kind === "answer") {
      const caret = found.answer.caret;
      return caret === undefined ? found.answer : { ...found.answer, caret: { ...caret, line } };
    }
    const answer = await (found.node.run?.(this, found.args) ?? ok());
    if (split.modifier === undefined || answer.status !== "ok") return answer;
    return ok(applyModifier(answer.text, split.modifier));
  }

  // Ctrl-Z ends configuration mode after the line it ends, as on IOS.
  async #configLine(line: string): Promise<ExecAnswer> {
    const config = this.#config;
    if (config === undefined) return ok();
    const [text = "", ...afterCtrlZ] = line.split("\x1a");
    const result = await config.apply(text);
    const answer = result.exec === undefined ? result.answer : await this.#execLine(result.exec);
    if ((result.leave || afterCtrlZ.length > 0) && this.#state === "config") this.#leaveConfig();
    return answer;
  }

  #leaveConfig(): void {
    this.#config = undefined;
    this.#moveTo("exec");
  }

  // ConsoleActions: what the commands of exec-commands.ts may do to this console.

  enable(): ExecAnswer {
    if (this.#privilege === "privileged") return ok();
    const { enableSecret, enablePassword } = this.runtime.model;
    if (enableSecret === undefined && enablePassword === undefined) {
      return rejected("% No password set\n");
    }
    this.#passwordTries = 0;
    this.#moveTo("enable-password");
    return ok();
  }

  disable(): ExecAnswer {
    this.#privilege = "user";
    return ok();
  }

  exit(): ExecAnswer {
    this.close();
    return ok();
  }

  configureTerminal(): ExecAnswer {
    const live = this.runtime.live;
    if (live === undefined) return rejected(OFFLINE_REFUSAL);
    if (this.#state === "config") return rejected("% Already in configuration mode\n");
    this.#config = new ConfigMode(this.runtime, live);
    this.#moveTo("config");
    return ok(ENTER_CONFIG_TEXT);
  }

  setDebug(flag: DebugFlag, on: boolean): ExecAnswer {
    const hub = this.runtime.live?.trace;
    if (hub === undefined) return rejected(OFFLINE_REFUSAL);
    this.#trace ??= hub.subscribe(this.#options.unsolicited);
    hub.setFlag(this.#trace, flag, on);
    return ok(`${debugFlagMessage(flag, on)}\n`);
  }

  undebugAll(): ExecAnswer {
    const hub = this.runtime.live?.trace;
    const subscription = this.#trace;
    if (hub !== undefined && subscription !== undefined) {
      for (const flag of [...subscription.flags]) hub.setFlag(subscription, flag, false);
    }
    return ok("All possible debugging has been turned off\n");
  }

  monitor(on: boolean): ExecAnswer {
    const live = this.runtime.live;
    if (live === undefined) return rejected(OFFLINE_REFUSAL);
    if (!on) this.#monitorOff();
    else this.#stopMonitor ??= live.onLogLine(this.#options.unsolicited);
    return ok();
  }

  #monitorOff(): void {
    this.#stopMonitor?.();
    this.#stopMonitor = undefined;
  }

  #checkEnablePassword(candidate: string): ExecAnswer {
    if (enablePasswordMatches(this.runtime, candidate)) {
      this.#privilege = "privileged";
      this.#moveTo("exec");
      return ok();
    }
    this.#passwordTries += 1;
    if (this.#passwordTries < MAX_PASSWORD_TRIES) return rejected("");
    this.#moveTo("exec");
    return rejected("% Bad secrets\n\n");
  }

  #moveTo(next: ConsoleState): void {
    if (next === this.#state) return;
    assert.ok(MOVES[this.#state].includes(next), `console move ${this.#state} -> ${next}`);
    this.#state = next;
  }
}

/** `enable secret` wins over `enable password` when both are set, as on IOS. */
function enablePasswordMatches(runtime: ExecRuntime, candidate: string): boolean {
  const { enableSecret, enablePassword } = runtime.model;
  if (enableSecret !== undefined) return verifySecret(enableSecret.hash, candidate);
  if (enablePassword === undefined) return false;
  return sameText(enablePassword.text, candidate);
}

/** Compares without leaking through timing where the first difference is. */
export function sameText(expected: string, candidate: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(candidate, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
