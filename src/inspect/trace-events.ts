import { printableVerb, readParameters } from "../smtp/command-line.js";
import type { CommandTraceEvent } from "./events.js";
import type { PendingCommand } from "./pending-commands.js";

/** The `debug ip inspect` event of one command line; AUTH's parameters are never shown. */
export function commandTrace(
  at: number,
  index: number,
  line: Buffer,
  range: { readonly start: number; readonly end: number },
  verb: string,
  passed: boolean,
): CommandTraceEvent {
  return {
    type: "trace-command",
    at,
    index,
    verb: printableVerb(verb),
    parameters: verb === "AUTH" ? "" : readParameters(line, range.start, range.end),
    length: range.end - range.start,
    action: passed ? "pass" : "mask",
  };
}

/** What a reply answers, as the trace names it. */
export function describePending(entry: PendingCommand | undefined): string {
  if (entry === undefined) return "nothing";
  if (entry.kind === "command") return entry.verb;
  return entry.kind;
}
