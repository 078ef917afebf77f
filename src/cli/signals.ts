/**
 * What the service manager asks of a running gateway: SIGHUP re-reads the configuration file
 * (valid: new sessions follow it, running ones keep theirs; invalid: refused with its errors,
 * the old one stays), SIGTERM lets sessions finish for the grace period, then resets the rest.
 */

import { readConfigFile } from "./config-file.js";
import type { RouterConfig } from "../config/model.js";
import type { Gateway } from "../gateway/gateway.js";

/**
 * Puts a configuration in force: the gateway's plan and the exec console's model together, so
 * that `show running-config` after a reload prints what is in force.
 */
export type ApplyModel = (model: RouterConfig) => Promise<void>;

/** Ours: `ip inspect graceful-shutdown` when the plan does not say (IOS has no such line). */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

export interface ReloadReport {
  readonly write: (text: string) => void;
}

/** Re-reads `configPath` on each SIGHUP; returns the function that stops listening. */
export function reloadOnHangup(
  apply: ApplyModel,
  configPath: string | undefined,
  report: ReloadReport,
): () => void {
  let busy = Promise.resolve();
  const onHangup = (): void => {
    // One reload at a time, in the order the signals came.
    busy = busy.then(async () => {
      await reload(apply, configPath, report);
    });
  };
  process.on("SIGHUP", onHangup);
  return () => {
    process.off("SIGHUP", onHangup);
  };
}

/** One reload; never throws, because a bad file must not stop a running gateway. */
export async function reload(
  apply: ApplyModel,
  configPath: string | undefined,
  report: ReloadReport,
): Promise<boolean> {
  if (configPath === undefined) {
    report.write("smtpguard: SIGHUP ignored: started without --config\n");
    return false;
  }
  try {
    const { model, problems } = await readConfigFile(configPath);
    if (problems.length > 0) {
      const lines = problems.map((problem) => `${configPath}:${problem.line}: ${problem.message}`);
      report.write(`smtpguard: reload refused, configuration kept\n${lines.join("\n")}\n`);
      return false;
    }
    await apply(model);
    report.write(`smtpguard: reloaded ${configPath}\n`);
    return true;
  } catch (error) {
    report.write(`smtpguard: reload refused, configuration kept: ${(error as Error).message}\n`);
    return false;
  }
}

/** SIGTERM's part before the usual stop: sessions get the configured grace period. */
export async function drainGracefully(gateway: Gateway): Promise<void> {
  const seconds = gateway.plan.shutdownGraceSeconds ?? DEFAULT_SHUTDOWN_GRACE_SECONDS;
  await gateway.drain(seconds * 1000);
}
