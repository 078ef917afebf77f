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
  const trimmed = text.replace(/^[ \t]+/, "");
  const colon = trimmed.indexOf(":");
  if (colon < 0 || trimmed.slice(0, colon).trim().toUpperCase() !== keyword) return undefined;
  let rest = trimmed.slice(colon + 1);
  const spaceAfterColon = /^[ \t]/.test(rest);
  rest = rest.replace(/^[ \t]+/, "");

  const { path, angleBrackets, end } = readPath(rest);
  return {
    path,
    angleBrackets,
    spaceAfterColon,
    parameters: readParameters(rest.slice(end)),
  };
}

function readPath(text: string): { path: string; angleBrackets: boolean; end: number } {
  if (!text.startsWith("<")) {
    const end = text.search(/[ \t]|$/);
    return { path: text.slice(0, end), angleBrackets: false, end };
  }
  // The closing ">" is the first one outside a quoted local part.
  let quoted = false;
  for (let at = 1; at < text.length; at++) {
    const char = text[at];
    if (char === "\\" && quoted) at++;
    else if (char === '"') quoted = !quoted;
    else if (char === ">" && !quoted)
      return { path: text.slice(1, at), angleBrackets: true, end: at + 1 };
  }
  return { path: text.slice(1), angleBrackets: false, end: text.length };
}

function readParameters(text: string): EsmtpParameter[] {
  return text
    .split(/[ \t]+/)
    .filter((word) => word !== "")
    .map((word) => {
      const equals = word.indexOf("=");
      return equals < 0
        ? { keyword: word.toUpperCase(), value: undefined }
        : { keyword: word.slice(0, equals).toUpperCase(), value: word.slice(equals + 1) };
    });
}

/** RFC 3461 4: xtext is printable ASCII but "+" and "=", with "+HH" (upper-case hex) escapes. */
export function isXtext(value: string): boolean {
  return /^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/.test(value);
}

/**
 * Shell and expansion sequences in an address (SPEC section 5): "${", "$(", a backtick, "|",
 * or a ";" outside a quoted string. The OpenSMTPD (CVE-2020-7247), Exim (CVE-2019-10149) and
 * Zimbra (CVE-2024-45519) exploits used exactly these.
 */
export function hasShellSequence(text: string): boolean {
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
