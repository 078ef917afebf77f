/**
 * The arguments of MAIL FROM and RCPT TO (RFC 5321 4.1.2): a path, then ESMTP parameters.
 *
 *   mail = "MAIL FROM:" Reverse-path [SP Mail-parameters]
 *   Path = "<" [ A-d-l ":" ] Mailbox ">"
 *   esmtp-param = esmtp-keyword ["=" esmtp-value]
 *
 * The reader is lenient where servers are (a space after the colon, a path without angle
 * brackets) and says so, so the inspector can log the anomaly and still judge the rest.
 */

export interface EsmtpParameter {
  /** Upper-cased keyword. */
  readonly keyword: string;
  /** The value as written, or undefined for a keyword without "=". */
  readonly value: string | undefined;
}

export interface MailArguments {
  /** The path between the angle brackets (or the bare path), without them. */
  readonly path: string;
  readonly angleBrackets: boolean;
  readonly spaceAfterColon: boolean;
  readonly parameters: readonly EsmtpParameter[];
}

/**
 * Reads the text after the verb, e.g. "FROM:<a@b> SIZE=10" for MAIL; `keyword` is "FROM" or
 * "TO". Returns undefined when there is no "keyword:" at all.
 */
export function readMailArguments(text: string, keyword: "FROM" | "TO"): MailArguments | undefined {
  // Index-based, with no regular expression: this runs for every MAIL and RCPT.
  let at = skipBlanks(text, 0);
  const colon = text.indexOf(":", at);
  if (colon < 0 || !sameWord(text, at, colon, keyword)) return undefined;
  at = colon + 1;
  const spaceAfterColon = isBlank(text.charCodeAt(at));
  at = skipBlanks(text, at);

  const { path, angleBrackets, end } = readPath(text, at);
  return {
    path,
    angleBrackets,
    spaceAfterColon,
    parameters: end >= text.length ? NO_PARAMETERS : readParameters(text.slice(end)),
  };
}

const NO_PARAMETERS: readonly EsmtpParameter[] = [];
const SPACE = 0x20;
const TAB = 0x09;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function skipBlanks(text: string, from: number): number {
  let at = from;
  while (isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** text[from, to), blanks trimmed, equals the upper-case `word` in any case. */
function sameWord(text: string, from: number, to: number, word: string): boolean {
  let end = to;
  while (end > from && isBlank(text.charCodeAt(end - 1))) end--;
  if (end - from !== word.length) return false;
  for (let offset = 0; offset < word.length; offset++) {
    // ASCII letters only: clearing bit 0x20 upper-cases them.
    if ((text.charCodeAt(from + offset) & ~0x20) !== word.charCodeAt(offset)) return false;
  }
  return true;
}

function readPath(
  text: string,
  from: number,
): { path: string; angleBrackets: boolean; end: number } {
  if (text.charCodeAt(from) !== 0x3c) {
    let end = from;
    while (end < text.length && !isBlank(text.charCodeAt(end))) end++;
    return { path: text.slice(from, end), angleBrackets: false, end };
  }
  // The closing ">" is the first one outside a quoted local part.
  let quoted = false;
  for (let at = from + 1; at < text.length; at++) {
    const char = text[at];
    if (char === "\\" && quoted) at++;
    else if (char === '"') quoted = !quoted;
    else if (char === ">" && !quoted) {
      return { path: text.slice(from + 1, at), angleBrackets: true, end: at + 1 };
    }
  }
  return { path: text.slice(from + 1), angleBrackets: false, end: text.length };
}

function readParameters(text: string): EsmtpParameter[] {
  const parameters: EsmtpParameter[] = [];
  for (const word of text.split(/[ \t]+/)) {
    if (word === "") continue;
    const equals = word.indexOf("=");
    parameters.push(
      equals < 0
        ? { keyword: word.toUpperCase(), value: undefined }
        : { keyword: word.slice(0, equals).toUpperCase(), value: word.slice(equals + 1) },
    );
  }
  return parameters;
}

/** RFC 3461 4: xtext is printable ASCII but "+" and "=", with "+HH" (upper-case hex) escapes. */
export function isXtext(value: string): boolean {
  return /^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/.test(value);
}

const SHELL_CHARACTERS = /[$`|;]/;

/**
 * Shell and expansion sequences in an address (SPEC section 5): "${", "$(", a backtick, "|",
 * or a ";" outside a quoted string. The OpenSMTPD (CVE-2020-7247), Exim (CVE-2019-10149) and
 * Zimbra (CVE-2024-45519) exploits used exactly these.
 */
export function hasShellSequence(text: string): boolean {
  // Most addresses hold none of these characters: one test settles them.
  if (!SHELL_CHARACTERS.test(text)) return false;
  if (/\$\{|\$\(|`|\|/.test(text)) return true;
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === "\\" && quoted) at++;
    else if (char === '"') quoted = !quoted;
    else if (char === ";" && !quoted) return true;
  }
  return false;
}
