/**
 * The error catalogue. Every error the program raises on purpose is one of these classes, with
 * a stable code that users and tests can match on.
 */

export type ErrorCode =
  | "SMTPGUARD_ERR_CONFIG_SYNTAX"
  | "SMTPGUARD_ERR_CONFIG_FILE"
  | "SMTPGUARD_ERR_USAGE"
  | "SMTPGUARD_ERR_TRANSCRIPT"
  | "SMTPGUARD_ERR_LISTEN"
  | "SMTPGUARD_ERR_CONTROL";

export class SmtpguardError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem in a configuration text, with the line it is on (1-based). */
export interface ConfigProblem {
  readonly line: number;
  readonly message: string;
}

export class ConfigSyntaxError extends SmtpguardError {
  readonly problems: readonly ConfigProblem[];

  constructor(source: string, problems: readonly ConfigProblem[]) {
    const first = problems[0];
    const where = first === undefined ? source : `${source}:${first.line}`;
    super("SMTPGUARD_ERR_CONFIG_SYNTAX", `${where}: ${first?.message ?? "invalid configuration"}`);
    this.problems = problems;
  }
}

export class ConfigFileError extends SmtpguardError {
  constructor(path: string, options?: ErrorOptions) {
    super("SMTPGUARD_ERR_CONFIG_FILE", `cannot read configuration file ${path}`, options);
  }
}

export class UsageError extends SmtpguardError {
  constructor(message: string) {
    super("SMTPGUARD_ERR_USAGE", message);
  }
}

export class TranscriptError extends SmtpguardError {
  readonly line: number;

  constructor(line: number, message: string) {
    super("SMTPGUARD_ERR_TRANSCRIPT", `line ${line}: ${message}`);
    this.line = line;
  }
}

/** The control socket cannot be opened by `run`, or reached by `smtpguard exec --control`. */
export class ControlSocketError extends SmtpguardError {
  constructor(message: string, options?: ErrorOptions) {
    super("SMTPGUARD_ERR_CONTROL", message, options);
  }
}
