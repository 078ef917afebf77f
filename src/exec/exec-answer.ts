/**
 * What an exec command answers: its output and whether it was accepted. A rejected line keeps
 * the column of the word at fault, so that each console can draw IOS's caret where its user
 * sees the line (after the prompt on a vty, under an echoed copy on the control socket).
 */

export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
export const INCOMPLETE_COMMAND = "% Incomplete command.";

export type ExecStatus = "ok" | "rejected";

export interface Caret {
  /** The line as the user wrote it. */
  readonly line: string;
  /** 0-based column of the word at fault. */
  readonly column: number;
}

export interface ExecAnswer {
  readonly status: ExecStatus;
  /** The output, every line ended by "\n"; empty when a command prints nothing. */
  readonly text: string;
  /** Set for a line refused at a word: the caret goes under it, above `text`. */
  readonly caret?: Caret | undefined;
}

export function ok(text = ""): ExecAnswer {
  return { status: "ok", text };
}

export function rejected(text: string, caret?: Caret): ExecAnswer {
  return { status: "rejected", text, caret };
}

/** IOS's answer to a word it does not know there. */
export function invalidInput(line: string, column: number): ExecAnswer {
  return rejected(`${INVALID_INPUT}\n\n`, { line, column });
}

export function incompleteCommand(): ExecAnswer {
  return rejected(`${INCOMPLETE_COMMAND}\n\n`);
}

export function ambiguousCommand(line: string): ExecAnswer {
  return rejected(`% Ambiguous command:  "${line.trim()}"\n`);
}

/** Lines joined, each ended by "\n". */
export function textOf(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

/**
 * The answer as a console prints it. `indent` is where the user's line starts on the screen:
 * the prompt's length on a vty, whose terminal already shows the line; undefined on the control
 * socket, which echoes the line first so that the caret has something to point at.
 */
export function renderAnswer(answer: ExecAnswer, indent: number | undefined): string {
  const caret = answer.caret;
  if (caret === undefined) return answer.text;

  const marker = `${" ".repeat((indent ?? 0) + caret.column)}^\n`;
  const echo = indent === undefined ? `${caret.line}\n` : "";
  return `${echo}${marker}${answer.text}`;
}
