/**
 * The `show` branch of the exec grammar, with IOS's help strings and the renderers behind each
 * leaf. Commands that read the running gateway refuse offline.
 */

import type { CommandNode } from "./command-tree.js";
import { debugFlagMessage, DEBUG_FLAGS, type DebugFlag } from "./debug-trace.js";
import { ok, rejected, textOf, type ExecAnswer } from "./exec-answer.js";
import type { ExecRuntime, LiveGateway } from "./exec-runtime.js";
import {
  showInspectAll,
  showInspectConfig,
  showInspectInterfaces,
  showInspectName,
} from "./show-inspect.js";
import { CLUSTER_UNAVAILABLE, showClusterSessions, showClusterStatistics } from "./show-cluster.js";
import { showInspectSessions, showInspectStatistics } from "./show-sessions.js";
import { productVersion, showLogging, showRunningConfig, showVersion } from "./show-system.js";

/** What a show handler reads: the runtime, and the console's own debug flags. */
export interface ShowContext {
  readonly runtime: ExecRuntime;
  readonly debugFlags: ReadonlySet<DebugFlag>;
}

type ShowNode = CommandNode<ShowContext>;

export const OFFLINE_REFUSAL = "% Not available offline: no gateway is running\n";

/** Runs `show` on the live gateway, or refuses when there is none. */
export function withLive(
  runtime: ExecRuntime,
  show: (live: LiveGateway) => ExecAnswer | Promise<ExecAnswer>,
): ExecAnswer | Promise<ExecAnswer> {
  return runtime.live === undefined ? rejected(OFFLINE_REFUSAL) : show(runtime.live);
}

function sessionsText(runtime: ExecRuntime, detail: boolean): string {
  const live = runtime.live;
  return live === undefined ? "" : showInspectSessions(live.sessions(), live.now(), detail);
}

function sessionsNode(): ShowNode {
  const show = (runtime: ExecRuntime, detail: boolean): ExecAnswer | Promise<ExecAnswer> =>
    withLive(runtime, () => ok(sessionsText(runtime, detail)));
  return {
    word: "sessions",
    help: "Inspection sessions",
    run: ({ runtime }) => show(runtime, false),
    children: [
      {
        word: "detail",
        help: "Inspection sessions details",
        run: ({ runtime }) => show(runtime, true),
      },
      {
        word: "cluster",
        help: "Inspection sessions of every instance sharing the state store",
        run: ({ runtime }) => withLive(runtime, clusterSessions),
      },
    ],
  };
}

const ANY_WORD = (): boolean => true;

function ipInspectNodes(): ShowNode[] {
  return [
    {
      word: "all",
      help: "Inspection all available information",
      run: ({ runtime }) => ok(showInspectAll(runtime.model, sessionsText(runtime, false))),
    },
    {
      word: "config",
      help: "Inspection configuration",
      run: ({ runtime }) => ok(showInspectConfig(runtime.model)),
    },
    {
      word: "interfaces",
      help: "Inspection interfaces",
      run: ({ runtime }) => ok(showInspectInterfaces(runtime.model)),
    },
    {
      word: "name",
      help: "Inspection name",
      children: [
        {
          word: "WORD",
          help: "Name of the inspection rule",
          accepts: ANY_WORD,
          run: ({ runtime }, [name]) => ok(showInspectName(runtime.model, name ?? "")),
        },
      ],
    },
    sessionsNode(),
    {
      word: "statistics",
      help: "Inspection statistics",
      run: ({ runtime }) => withLive(runtime, statistics),
    },
  ];
}

async function clusterSessions(live: LiveGateway): Promise<ExecAnswer> {
  const view = await live.cluster?.();
  return view === undefined ? rejected(CLUSTER_UNAVAILABLE) : ok(showClusterSessions(view));
}

/** This instance's statistics, then the cluster's when thresholds are shared. */
async function statistics(live: LiveGateway): Promise<ExecAnswer> {
  const own = showInspectStatistics(live.statistics());
  if (live.shared !== true) return ok(own);
  return ok(own + showClusterStatistics(await live.cluster?.()));
}

function showDebugging(flags: ReadonlySet<DebugFlag>): ExecAnswer {
  const on = DEBUG_FLAGS.filter((flag) => flags.has(flag));
  if (on.length === 0) return ok();
  return ok(textOf(["INSPECT:", ...on.map((flag) => `  ${debugFlagMessage(flag, true)}`)]));
}

export function showNode(): ShowNode {
  return {
    word: "show",
    help: "Show running system information",
    children: [
      {
        word: "debugging",
        help: "State of each debugging option",
        privileged: true,
        run: ({ debugFlags }) => showDebugging(debugFlags),
      },
      {
        word: "ip",
        help: "IP information",
        children: [
          {
            word: "inspect",
            help: "CBAC (Context Based Access Control) information",
            children: ipInspectNodes(),
          },
        ],
      },
      {
        word: "logging",
        help: "Show the contents of logging buffers",
        privileged: true,
        run: ({ runtime }) => withLive(runtime, (live) => ok(showLogging(live.logging()))),
      },
      {
        word: "running-config",
        help: "Current operating configuration",
        privileged: true,
        run: ({ runtime }) => ok(showRunningConfig(runtime.model)),
      },
      {
        word: "version",
        help: "System hardware and software status",
        run: ({ runtime }) => ok(versionText(runtime)),
      },
    ],
  };
}

function versionText(runtime: ExecRuntime): string {
  const live = runtime.live;
  return showVersion({
    version: productVersion(),
    hostname: runtime.model.hostname,
    uptimeMs: live === undefined ? undefined : live.now() - live.startedAt,
  });
}
