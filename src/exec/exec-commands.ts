/**
 * The exec grammar: every command a console accepts at `hostname>` and `hostname#`, with IOS's
 * help strings. Handlers act through ConsoleActions, so the grammar knows nothing of sockets.
 */

import type { CommandNode } from "./command-tree.js";
import { DEBUG_FLAGS, type DebugFlag } from "./debug-trace.js";
import { ok, rejected, type ExecAnswer } from "./exec-answer.js";
import type { LiveGateway } from "./exec-runtime.js";
import { showNode, withLive, type ShowContext } from "./show-commands.js";
import { showRunningConfig } from "./show-system.js";

/** What a command may do to the console that runs it. */
export interface ConsoleActions extends ShowContext {
  enable(): ExecAnswer;
  disable(): ExecAnswer;
  exit(): ExecAnswer;
  configureTerminal(): ExecAnswer;
  setDebug(flag: DebugFlag, on: boolean): ExecAnswer;
  undebugAll(): ExecAnswer;
  monitor(on: boolean): ExecAnswer;
}

type ExecNode = CommandNode<ConsoleActions>;

const FLAG_HELP: Readonly<Record<DebugFlag, string>> = {
  smtp: "SMTP Inspection",
  esmtp: "ESMTP Inspection",
  detailed: "Inspection Detailed Debug Messages",
};

const SESSION_ID = /^[0-9A-Fa-f]{1,8}$/;
// IOS takes 0 (no paging) to 512 lines; paging itself is left to the client's terminal.
const MAX_TERMINAL_LENGTH = 512;

/** `ip inspect smtp|esmtp|detailed` under `debug`, `undebug` and `no debug`. */
function ipInspectFlags(on: boolean): ExecNode {
  return {
    word: "ip",
    help: "IP information",
    children: [
      {
        word: "inspect",
        help: "Context-based Access Control",
        children: DEBUG_FLAGS.map((flag) => ({
          word: flag,
          help: FLAG_HELP[flag],
          run: (console: ConsoleActions) => console.setDebug(flag, on),
        })),
      },
    ],
  };
}

function undebugChildren(): ExecNode[] {
  const all: ExecNode = {
    word: "all",
    help: "Disable all debugging",
    run: (console) => console.undebugAll(),
  };
  return [all, ipInspectFlags(false)];
}

function clearNode(): ExecNode {
  const session: ExecNode = {
    word: "WORD",
    help: "Session ID (hexadecimal, as show ip inspect sessions prints it)",
    accepts: (word) => SESSION_ID.test(word),
    run: ({ runtime }, [id]) =>
      withLive(runtime, (live) => clearSession(live, (id ?? "").padStart(8, "0"))),
  };
  const path = (word: string, help: string, children: ExecNode[]): ExecNode => ({
    word,
    help,
    children,
  });
  return {
    ...path("clear", "Reset functions", [
      path("ip", "IP", [
        path("inspect", "Context-based Access Control", [
          path("session", "Clear an inspection session", [session]),
        ]),
      ]),
    ]),
    privileged: true,
  };
}

function clearSession(live: LiveGateway, id: string): ExecAnswer {
  if (live.clearSession(id)) return ok();
  return rejected(`% No inspection session ${id.toUpperCase()}\n`);
}

function writeNode(): ExecNode {
  const memory = (console: ConsoleActions): Promise<ExecAnswer> | ExecAnswer =>
    withLive(console.runtime, (live) => writeMemory(live));
  return {
    word: "write",
    help: "Write running configuration to memory, network, or terminal",
    privileged: true,
    run: memory,
    children: [
      { word: "memory", help: "Write to NV memory", run: memory },
      {
        word: "terminal",
        help: "Write to terminal",
        run: ({ runtime }) => ok(showRunningConfig(runtime.model)),
      },
    ],
  };
}

async function writeMemory(live: LiveGateway): Promise<ExecAnswer> {
  if (live.configPath === undefined) {
    return rejected("% No configuration file: the gateway was started without --config FILE\n");
  }
  try {
    await live.save();
    return ok("Building configuration...\n[OK]\n");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return rejected(`Building configuration...\n% Could not write ${live.configPath}: ${why}\n`);
  }
}

function terminalNode(): ExecNode {
  const monitor = (on: boolean): ExecNode => ({
    word: "monitor",
    help: "Copy debug output to the current terminal line",
    run: (console) => console.monitor(on),
  });
  return {
    word: "terminal",
    help: "Set terminal line parameters",
    children: [
      {
        word: "length",
        help: "Set number of lines on a screen",
        children: [
          {
            word: `<0-${MAX_TERMINAL_LENGTH}>`,
            help: "Number of lines on screen (0 for no pausing)",
            accepts: (word) => /^\d{1,3}$/.test(word) && Number(word) <= MAX_TERMINAL_LENGTH,
            run: () => ok(),
          },
        ],
      },
      monitor(true),
      {
        word: "no",
        help: "Negate a command or set its defaults",
        children: [monitor(false)],
      },
    ],
  };
}

/** The root of the exec grammar, in IOS's alphabetical order. */
export const EXEC_COMMANDS: readonly ExecNode[] = [
  clearNode(),
  {
    word: "configure",
    help: "Enter configuration mode",
    privileged: true,
    children: [
      {
        word: "terminal",
        help: "Configure from the terminal",
        run: (console) => console.configureTerminal(),
      },
    ],
  },
  {
    word: "debug",
    help: "Debugging functions (see also 'undebug')",
    privileged: true,
    children: [ipInspectFlags(true)],
  },
  {
    word: "disable",
    help: "Turn off privileged commands",
    privileged: true,
    run: (console) => console.disable(),
  },
  { word: "enable", help: "Turn on privileged commands", run: (console) => console.enable() },
  { word: "exit", help: "Exit from the EXEC", run: (console) => console.exit() },
  { word: "logout", help: "Exit from the EXEC", run: (console) => console.exit() },
  {
    word: "no",
    help: "Disable debugging functions",
    privileged: true,
    children: [
      {
        word: "debug",
        help: "Disable debugging functions (see also 'undebug')",
        children: undebugChildren(),
      },
    ],
  },
  showNode(),
  terminalNode(),
  {
    word: "undebug",
    help: "Disable debugging functions (see also 'debug')",
    privileged: true,
    children: undebugChildren(),
  },
  writeNode(),
];
