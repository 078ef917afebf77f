import type { FwLine } from "../../../src/log/log-sink.js";
import type { Severity } from "../../../src/log/severity.js";

/** A line as the logger would make it, with the fields a sink test cares about. */
export function fwLine(message: string, severity: Severity = 6, prefix = ""): FwLine {
  return { prefix, message, severity, mnemonic: "TEST", date: new Date(0) };
}
