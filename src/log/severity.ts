/**
 * Syslog severities as IOS names them in `logging trap`, `logging buffered` and
 * `logging console`. Lower is more severe; a sink set to a level takes that level and every
 * more severe one.
 */

export type Severity = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const SEVERITY_NAMES = [
  "emergencies",
  "alerts",
  "critical",
  "errors",
  "warnings",
  "notifications",
  "informational",
  "debugging",
] as const;

export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** IOS default of `logging trap`. */
export const DEFAULT_TRAP_LEVEL: Severity = 6;

/** IOS default of `logging buffered` and `logging console`. */
export const DEFAULT_LOCAL_LEVEL: Severity = 7;

export function severityName(severity: Severity): SeverityName {
  return SEVERITY_NAMES[severity];
}

/** Reads a level as IOS accepts it: its full name or its number (`logging trap 4`). */
export function parseSeverity(word: string): Severity | undefined {
  const byName = SEVERITY_NAMES.indexOf(word.toLowerCase() as SeverityName);
  if (byName >= 0) return byName as Severity;

  if (/^[0-7]$/.test(word)) return Number(word) as Severity;
  return undefined;
}

export function isSeverity(value: number): value is Severity {
  return Number.isInteger(value) && value >= 0 && value <= 7;
}

/** Whether a message of `severity` reaches a sink set to `level`. */
export function passesLevel(severity: Severity, level: Severity): boolean {
  return severity <= level;
}
