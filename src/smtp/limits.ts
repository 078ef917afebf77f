/** Protocol limits, each with its unit and its source. */

/** RFC 5321 4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
export const MAX_COMMAND_LINE_OCTETS = 512;

/** RFC 4954 4: "12288 octets is considered to be a sufficient line length limit" for AUTH. */
export const MAX_AUTH_LINE_OCTETS = 12_288;

/** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets, CRLF included. Longer is logged. */
export const MAX_REPLY_LINE_OCTETS = 512;

/**
 * A partial reply line is kept whole up to this many octets so that its code can be read and
 * the line judged in one piece; past it the rest of the line is streamed through unchanged.
 */
export const MAX_HELD_REPLY_OCTETS = 4_096;

/**
 * An overlong command line is masked as it streams; past this many octets without a line end
 * the client is not speaking SMTP and the session is reset.
 */
export const MAX_OVERFLOW_LINE_OCTETS = 65_536;

/** Commands sent ahead of their replies (RFC 2920 pipelining) that the inspector tracks. */
export const MAX_PENDING_COMMANDS = 1_000;

/**
 * Client octets held while a reply decides how to read them (after DATA, AUTH, or with the
 * pending queue full). The gateway stops reading the client while it holds, so this bound is
 * reached only by a caller that ignores `clientPaused`.
 */
export const MAX_HELD_CLIENT_OCTETS = 1_048_576;

/** The longest verb worth naming in an event; longer tokens are never legal. */
export const MAX_VERB_OCTETS = 16;
