import { readFile } from "node:fs/promises";

import { parseConfig, type ParsedConfig } from "../config/parser.js";
import { inspectionPolicyFor } from "../config/inspection-policy.js";
import { ConfigFileError, ConfigSyntaxError, UsageError } from "../errors.js";
import type { InspectionPolicy } from "../inspect/policy.js";

/** Reads and parses a configuration file; any problem in it is an error. */
export async function loadConfigFile(path: string): Promise<ParsedConfig> {
  const parsed = await readConfigFile(path);
  if (parsed.problems.length > 0) throw new ConfigSyntaxError(path, parsed.problems);
  return parsed;
}

/** Reads and parses a configuration file, returning its problems rather than failing on them. */
export async function readConfigFile(path: string): Promise<ParsedConfig> {
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    throw new ConfigFileError(path, { cause: error });
  });
  return parseConfig(text);
}

export async function policyFromConfigFile(path: string, rule: string): Promise<InspectionPolicy> {
  const { model } = await loadConfigFile(path);
  const policy = inspectionPolicyFor(model, rule);
  if (policy === undefined) {
    throw new UsageError(`rule ${rule} in ${path} has no smtp or esmtp inspection`);
  }
  return policy;
}
