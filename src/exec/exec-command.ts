/**
 * `smtpguard exec [--config FILE | --control PATH] 'COMMAND' ...`: exec commands against a
 * running gateway through its control socket, or offline against a configuration file. The
 * commands run in order on one console, so `configure terminal`, its lines and `end` may be
 * given one after the other; the first one refused stops the rest.
 */

import { parseArgs } from "node:util";

import { loadConfigFile } from "../cli/config-file.js";
import { ControlSocketError, UsageError } from "../errors.js";
import { ControlClient } from "./control-client.js";
import { ExecConsole } from "./exec-console.js";
import { offlineRuntime } from "./exec-runtime.js";

/** Every command accepted; after `debug`, the stream ran until the user stopped it. */
export const EXIT_OK = 0;
/** A command was refused (`% Invalid input ...`, `% Incomplete command.` and the like). */
export const EXIT_REJECTED = 1;
/** The gateway could not be reached, or went away. */
export const EXIT_UNREACHABLE = 2;

export interface ExecOutput {
  write(text: string): void;
  error(text: string): void;
}

export async function execCommand(args: readonly string[], output: ExecOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { config: { type: "string" }, control: { type: "string" } },
  });
  if (positionals.length === 0) throw new UsageError("exec needs a COMMAND");
  if ((values.config === undefined) === (values.control === undefined)) {
    throw new UsageError("exec takes one of --config FILE or --control PATH");
  }
  if (values.config !== undefined) return execOffline(values.config, positionals, output);
  return execOnGateway(values.control ?? "", positionals, output);
}

async function execOffline(
  path: string,
  commands: readonly string[],
  output: ExecOutput,
): Promise<number> {
  const { model } = await loadConfigFile(path);
  const console = new ExecConsole({
    runtime: offlineRuntime(model),
    privilege: "privileged",
    caretAfterPrompt: false,
    unsolicited: () => undefined,
  });
  for (const command of commands) {
    const reply = await console.handle(command);
    output.write(reply.text);
    if (reply.status === "rejected") return EXIT_REJECTED;
  }
  return EXIT_OK;
}

async function execOnGateway(
  path: string,
  commands: readonly string[],
  output: ExecOutput,
): Promise<number> {
  let client: ControlClient;
  try {
    client = await ControlClient.connect(path);
  } catch (error) {
    output.error(`smtpguard: ${(error as Error).message}\n`);
    return EXIT_UNREACHABLE;
  }
  client.onLine((text) => {
    output.write(`${text}\n`);
  });
  try {
    return await runAll(client, commands, output);
  } catch (error) {
    if (!(error instanceof ControlSocketError)) throw error;
    output.error(`smtpguard: ${error.message}\n`);
    return EXIT_UNREACHABLE;
  } finally {
    client.destroy();
  }
}

async function runAll(
  client: ControlClient,
  commands: readonly string[],
  output: ExecOutput,
): Promise<number> {
  let streaming = false;
  for (const command of commands) {
    const reply = await client.request(command);
    output.write(reply.text);
    if (reply.status === "rejected") return EXIT_REJECTED;
    streaming = reply.streaming;
  }
  // `debug ...` last: print the trace until Ctrl-C, or until the gateway goes away.
  if (!streaming) return EXIT_OK;
  const end = await untilInterrupted(client.closed);
  return end === "interrupted" ? EXIT_OK : EXIT_UNREACHABLE;
}

function untilInterrupted(closed: Promise<void>): Promise<"interrupted" | "closed"> {
  return new Promise((resolve) => {
    const stop = (how: "interrupted" | "closed"): void => {
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      resolve(how);
    };
    const interrupted = (): void => {
      stop("interrupted");
    };
    process.on("SIGINT", interrupted);
    process.on("SIGTERM", interrupted);
    void closed.then(() => {
      stop("closed");
    });
  });
}
