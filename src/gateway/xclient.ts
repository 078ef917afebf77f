import { address } from "../log/message-format.js";
import { LF } from "../smtp/bytes.js";
import { parseReplyLine } from "../smtp/reply-line.js";

/**
 * Postfix's XCLIENT (XCLIENT_README): the gateway tells the mail server who the client really
 * is, after the server's greeting and before the client's first byte. The server must list
 * the gateway in `smtpd_authorized_xclient_hosts`. The exchange:
 *
 *   S: 220 greeting            C: EHLO gateway-name
 *   S: 250-... XCLIENT ...     C: XCLIENT ADDR=client PORT=port
 *   S: 220 new greeting        (handed to the inspector as the session's greeting)
 *
 * If the server does not offer XCLIENT, or refuses it, the session goes on with the first
 * greeting and the caller logs it.
 */

/** Server octets the exchange may read before it gives up (a greeting and an EHLO reply). */
const MAX_EXCHANGE_OCTETS = 16_384;

export type XclientOutcome =
  | { readonly kind: "more" }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "done"; readonly greeting: Buffer; readonly accepted: boolean };

type Step = "greeting" | "ehlo" | "xclient";

export class XclientHandshake {
  readonly #send: (bytes: Buffer) => void;
  readonly #command: Buffer;
  readonly #helo: Buffer;
  #step: Step = "greeting";
  #buffer = Buffer.alloc(0);
  #reply: Buffer[] = [];
  #firstGreeting = Buffer.alloc(0);
  #offered = false;

  constructor(
    send: (bytes: Buffer) => void,
    client: { address: string; port: number },
    helo: string,
  ) {
    this.#send = send;
    this.#helo = Buffer.from(`EHLO ${helo}\r\n`, "latin1");
    this.#command = Buffer.from(
      `XCLIENT ADDR=${xclientAddress(client.address)} PORT=${client.port}\r\n`,
      "latin1",
    );
  }

  /** Server octets; "done" carries the greeting for the client (and any octets after it). */
  feed(chunk: Buffer): XclientOutcome {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (this.#buffer.length > MAX_EXCHANGE_OCTETS)
      return { kind: "failed", reason: "reply too long" };
    for (;;) {
      const lf = this.#buffer.indexOf(LF);
      if (lf < 0) return { kind: "more" };
      const line = this.#buffer.subarray(0, lf + 1);
      this.#buffer = this.#buffer.subarray(lf + 1);
      this.#reply.push(line);
      const reply = parseReplyLine(line, 0, line.length);
      if (!reply.valid) return { kind: "failed", reason: "reply without a code" };
      if (!reply.final) {
        if (this.#step === "ehlo" && /^250-XCLIENT\b/i.test(line.toString("latin1")))
          this.#offered = true;
        continue;
      }
      const outcome = this.#replyDone(reply.code, line);
      if (outcome !== undefined) return outcome;
    }
  }

  #replyDone(code: number, last: Buffer): XclientOutcome | undefined {
    const whole = Buffer.concat(this.#reply);
    this.#reply = [];
    switch (this.#step) {
      case "greeting":
        if (code !== 220) return this.#done(whole, false);
        this.#firstGreeting = whole;
        this.#step = "ehlo";
        this.#send(this.#helo);
        return undefined;
      case "ehlo":
        if (/^250 XCLIENT\b/i.test(last.toString("latin1"))) this.#offered = true;
        if (code !== 250 || !this.#offered) return this.#done(this.#firstGreeting, false);
        this.#step = "xclient";
        this.#send(this.#command);
        return undefined;
      case "xclient":
        return code === 220 ? this.#done(whole, true) : this.#done(this.#firstGreeting, false);
    }
  }

  #done(greeting: Buffer, accepted: boolean): XclientOutcome {
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return { kind: "done", greeting: Buffer.concat([greeting, rest]), accepted };
  }
}

/** XCLIENT_README: an IPv6 address is written with an IPV6: prefix. */
function xclientAddress(value: string): string {
  const plain = address(value);
  return plain.includes(":") ? `IPV6:${plain}` : plain;
}
