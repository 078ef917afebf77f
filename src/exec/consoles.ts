/**
 * The consoles of `smtpguard run`: the control socket (`--control PATH`) and the vty
 * (`--vty ADDR:PORT`), both over one runtime view of the running gateway.
 */

import { isIP } from "node:net";

import type { RunningGateway } from "../cli/run.js";
import type { RouterConfig } from "../config/model.js";
import { UsageError } from "../errors.js";
import type { Endpoint } from "../log/catalogue.js";
import { ControlServer } from "./control-socket.js";
import { GatewayRuntime } from "./exec-runtime.js";
import { VtyServer } from "./vty.js";

export interface ConsoleOptions {
  /** The file the gateway was started from, for `write memory`. */
  readonly configPath?: string | undefined;
  readonly controlPath?: string | undefined;
  readonly vty?: Endpoint | undefined;
}

export interface RunningConsoles {
  readonly runtime: GatewayRuntime;
  readonly control: ControlServer | undefined;
  readonly vty: VtyServer | undefined;
  close(): Promise<void>;
}

export async function startConsoles(
  running: RunningGateway,
  model: RouterConfig,
  options: ConsoleOptions,
): Promise<RunningConsoles> {
  const runtime = new GatewayRuntime({ running, model, configPath: options.configPath });
  const control =
    options.controlPath === undefined
      ? undefined
      : new ControlServer({ runtime, path: options.controlPath });
  const vty =
    options.vty === undefined ? undefined : new VtyServer({ runtime, listen: options.vty });
  const close = async (): Promise<void> => {
    await Promise.all([control?.close(), vty?.close()]);
    runtime.close();
  };
  try {
    await control?.start();
    await vty?.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { runtime, control, vty, close };
}

/**
 * `--vty ADDR:PORT` on a loopback address only: the vty speaks clear text, passwords included,
 * so it must not be reachable from the network.
 */
export function parseVtyEndpoint(text: string): Endpoint {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  const address = match?.[1] ?? "";
  const port = Number(match?.[2] ?? "-1");
  if (isIP(address) === 0 || port > 65_535 || port < 0) {
    throw new UsageError(`--vty takes ADDR:PORT, not "${text}"`);
  }
  if (!isLoopback(address)) {
    throw new UsageError(`--vty must be a loopback address (127.0.0.0/8 or ::1), not ${address}`);
  }
  return { address, port };
}

function isLoopback(address: string): boolean {
  return address === "::1" || /^127\./.test(address);
}
