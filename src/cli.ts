#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { loadConfigFile, policyFromConfigFile, readConfigFile } from "./cli/config-file.js";
import { replay } from "./cli/replay.js";
import { startFromModel } from "./cli/run.js";
import { drainGracefully, reloadOnHangup } from "./cli/signals.js";
import { parseTranscript } from "./cli/transcript.js";
import { ConfigSyntaxError, SmtpguardError, UsageError } from "./errors.js";
import { parseVtyEndpoint, startConsoles } from "./exec/consoles.js";
import { execCommand } from "./exec/exec-command.js";
import type { InertLine } from "./config/inert.js";
import type { RouterConfig } from "./config/model.js";
import { modelFromQuickFlags } from "./config/quick-flags.js";
import { defaultPolicy, type InspectionPolicy, type InspectProtocol } from "./inspect/policy.js";

const USAGE = `usage:
  smtpguard run [--config FILE] [--listen ADDR:PORT --upstream ADDR:PORT --inspect smtp|esmtp [--max-data N]]
                [--control PATH] [--vty ADDR:PORT]
  smtpguard check FILE
  smtpguard exec --config FILE | --control PATH 'COMMAND' ['COMMAND' ...]
  smtpguard replay [--config FILE --rule NAME | --inspect smtp|esmtp] [--max-data N] TRANSCRIPT
`;

/** Exit codes: 0 done, 1 a finding (a bad configuration), 2 bad arguments or input. */
const EXIT_FINDING = 1;
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return runCommand(rest);
    case "check":
      return checkCommand(rest);
    case "replay":
      return replayCommand(rest);
    case "exec":
      return execCommand(rest, {
        write: (text) => process.stdout.write(text),
        error: (text) => process.stderr.write(text),
      });
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: "string" },
      listen: { type: "string" },
      upstream: { type: "string" },
      inspect: { type: "string" },
      "max-data": { type: "string" },
      control: { type: "string" },
      vty: { type: "string" },
    },
  });
  const vty = values.vty === undefined ? undefined : parseVtyEndpoint(values.vty);
  const { model, inert } = await modelFor(values);
  const running = await startFromModel(model, inert);
  const consoles = await startConsoles(running, model, {
    configPath: values.config,
    controlPath: values.control,
    vty,
  }).catch(async (error: unknown) => {
    await running.stop();
    throw error;
  });
  for (const endpoint of running.gateway.listening) {
    process.stderr.write(`smtpguard: listening on ${endpoint.address}:${endpoint.port}\n`);
  }
  if (consoles.control !== undefined) {
    process.stderr.write(`smtpguard: control socket ${consoles.control.path}\n`);
  }
  if (consoles.vty !== undefined) {
    const { address, port } = consoles.vty.address;
    process.stderr.write(`smtpguard: vty on ${address}:${port}\n`);
  }
  const stopReloading = reloadOnHangup(
    (fresh) => consoles.runtime.replaceModel(fresh),
    values.config,
    {
      write: (text) => process.stderr.write(text),
    },
  );
  await untilSignal();
  stopReloading();
  await drainGracefully(running.gateway);
  await consoles.close();
  await running.stop();
  return 0;
}

async function modelFor(values: {
  config?: string | undefined;
  listen?: string | undefined;
  upstream?: string | undefined;
  inspect?: string | undefined;
  "max-data"?: string | undefined;
}): Promise<{ model: RouterConfig; inert: readonly InertLine[] }> {
  if (values.config !== undefined) return loadConfigFile(values.config);
  const { listen, upstream } = values;
  if (listen === undefined || upstream === undefined) {
    throw new UsageError("run needs --config FILE, or --listen and --upstream");
  }
  const inspect = protocolOf(values.inspect);
  const maxData = values["max-data"] === undefined ? undefined : bytes(values["max-data"]);
  const flags = { listen, upstream, inspect, ...(maxData === undefined ? {} : { maxData }) };
  return { model: modelFromQuickFlags(flags), inert: [] };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `smtpguard check FILE`: `FILE:LINE: message` for each problem; exit 1 if any. */
async function checkCommand(args: readonly string[]): Promise<number> {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0) throw new UsageError("check takes one FILE");
  const { problems, inert } = await readConfigFile(file);
  const report = problems.map((problem) => `${file}:${problem.line}: ${problem.message}\n`);
  await writeOut(report.join(""));
  if (problems.length > 0) return 1;
  const notes = inert.length === 0 ? "" : ` (${inert.length} lines not applicable to a gateway)`;
  await writeOut(`${file}: configuration is valid${notes}\n`);
  return 0;
}

function bytes(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new UsageError("--max-data takes a number of bytes");
  return Number(text);
}

async function replayCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      inspect: { type: "string" },
      "max-data": { type: "string" },
      config: { type: "string" },
      rule: { type: "string" },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError("replay takes one TRANSCRIPT");
  const policy = await replayPolicy(values);
  const text = await readFile(file, "latin1").catch((error: unknown) => {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  });
  const lines = replay(parseTranscript(text), { policy });
  await writeOut(lines.map((line) => `${line}\n`).join(""));
  return 0;
}

async function replayPolicy(values: {
  inspect?: string | undefined;
  "max-data"?: string | undefined;
  config?: string | undefined;
  rule?: string | undefined;
}): Promise<InspectionPolicy> {
  const base = await basePolicy(values);
  const maxData = values["max-data"];
  return maxData === undefined ? base : { ...base, maxData: bytes(maxData) };
}

async function basePolicy(values: {
  inspect?: string | undefined;
  config?: string | undefined;
  rule?: string | undefined;
}): Promise<InspectionPolicy> {
  if (values.config !== undefined) {
    if (values.rule === undefined) throw new UsageError("--config needs --rule NAME");
    return policyFromConfigFile(values.config, values.rule);
  }
  return defaultPolicy(protocolOf(values.inspect));
}

function protocolOf(text: string | undefined): InspectProtocol {
  const protocol = text ?? "esmtp";
  if (protocol !== "smtp" && protocol !== "esmtp") {
    throw new UsageError("--inspect takes smtp or esmtp");
  }
  return protocol;
}

/** Writes all of it and waits until it is flushed, however large (a pipe may be slow). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigSyntaxError) {
      const lines = error.problems.map((problem) => `${problem.line}: ${problem.message}`);
      process.stderr.write(`smtpguard: invalid configuration\n${lines.join("\n")}\n`);
      process.exitCode = EXIT_FINDING;
      return;
    }
    if (error instanceof SmtpguardError) {
      process.stderr.write(`smtpguard: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    if (error instanceof TypeError && "code" in error) {
      // util.parseArgs reports unknown or malformed options this way.
      process.stderr.write(`smtpguard: ${error.message}\n${USAGE}`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  },
);
