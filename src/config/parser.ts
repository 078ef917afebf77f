/**
 * Loading a whole configuration text: a fresh session fed every line, as a router reads its
 * startup-config.
 */

import type { ConfigProblem } from "../errors.js";
import type { InertLine } from "./inert.js";
import type { RouterConfig } from "./model.js";
import { ConfigSession } from "./session.js";

export interface ParsedConfig {
  readonly model: RouterConfig;
  readonly problems: ConfigProblem[];
  readonly inert: InertLine[];
}

export function parseConfig(text: string): ParsedConfig {
  const session = new ConfigSession();
  const problems: ConfigProblem[] = [];

  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const problem = session.apply(line, index + 1);
    if (problem !== undefined) problems.push(problem);
  }

  problems.push(...session.finish());
  return { model: session.model, problems, inert: [...session.inert] };
}
