/**
 * IOS-style wording for a line that cannot be applied. `smtpguard check` prints each message
 * after `FILE:LINE: `, so the message carries everything: the IOS text, the line as written,
 * and a caret under the word at fault.
 */

import type { CommandFailure, Token } from "./tokens.js";

export const INVALID_INPUT = "% Invalid input detected at '^' marker.";
export const INCOMPLETE_COMMAND = "% Incomplete command.";

export function describeFailure(
  failure: CommandFailure,
  lineText: string,
  tokens: readonly Token[],
): string {
  const shown = lineText.trimEnd();
  const caretColumn = tokens[failure.tokenIndex]?.column ?? shown.length;
  const caret = `${" ".repeat(caretColumn)}^`;

  switch (failure.kind) {
    case "incomplete":
      return `${INCOMPLETE_COMMAND}\n${shown}`;
    case "ambiguous":
      return `% Ambiguous command:  "${shown.trim()}"\n${shown}\n${caret}`;
    case "invalid":
      return `${INVALID_INPUT}\n${shown}\n${caret}`;
    case "refused":
      return `${failure.message}\n${shown}\n${caret}`;
  }
}
