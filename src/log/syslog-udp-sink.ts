/**
 * The `logging host` sink: each message in one UDP datagram, framed as IOS frames it for a
 * BSD syslog receiver (RFC 3164): `<PRI>` then the message counter, the optional origin
 * hostname, the timestamp prefix and the message.
 */

import dgram from "node:dgram";
import net from "node:net";

import { limitOctets } from "./arguments.js";
import { lineText, type FwLine, type LogSink } from "./log-sink.js";
import { DEFAULT_TRAP_LEVEL, passesLevel, type Severity } from "./severity.js";
import { formatSyslog, type SyslogFormat } from "./syslog-format.js";

export const DEFAULT_SYSLOG_PORT = 514;

/** IOS `logging facility` default: local7. */
export const DEFAULT_SYSLOG_FACILITY = 23;

/** RFC 3164 4.1: a syslog packet is 1024 octets or fewer. */
export const MAX_SYSLOG_DATAGRAM_OCTETS = 1024;

/** Datagrams handed to the socket and not yet sent; past this, new messages are dropped. */
export const MAX_PENDING_DATAGRAMS = 256;

// RFC 3164 4.1.1: facility times eight plus severity; facilities run from 0 to 23.
const MAX_FACILITY = 23;
const MAX_PORT = 65_535;

export interface SyslogUdpSinkOptions {
  readonly host: string;
  readonly port?: number;
  /** `logging trap LEVEL`. */
  readonly level?: Severity;
  readonly facility?: number;
  /** `logging origin-id hostname`: the router's name before the timestamp. */
  readonly hostname?: string;
  /** The `N: ` message counter IOS puts after the PRI; on by default, as on IOS. */
  readonly counter?: boolean;
  /** Told of a datagram that could not be sent; the message itself is never retried. */
  readonly onError?: (error: Error) => void;
  /** `logging format`: IOS's RFC 3164 form (the default) or RFC 5424. */
  readonly format?: SyslogFormat;
}

export class SyslogUdpSink implements LogSink {
  readonly #host: string;
  readonly #port: number;
  readonly #level: Severity;
  readonly #facility: number;
  readonly #hostname: string | undefined;
  readonly #counter: boolean;
  readonly #onError: (error: Error) => void;
  readonly #format: SyslogFormat;
  readonly #socket: dgram.Socket;
  #sequence = 0;
  #pending = 0;
  #dropped = 0;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(options: SyslogUdpSinkOptions) {
    const facility = options.facility ?? DEFAULT_SYSLOG_FACILITY;
    if (!Number.isInteger(facility) || facility < 0 || facility > MAX_FACILITY) {
      throw new RangeError(`syslog facility ${facility} outside 0-${MAX_FACILITY}`);
    }
    const port = options.port ?? DEFAULT_SYSLOG_PORT;
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
      throw new RangeError(`syslog port ${port} outside 1-${MAX_PORT}`);
    }

    this.#host = options.host;
    this.#port = port;
    this.#level = options.level ?? DEFAULT_TRAP_LEVEL;
    this.#facility = facility;
    this.#hostname = options.hostname;
    this.#counter = options.counter ?? true;
    this.#onError = options.onError ?? ignore;
    this.#format = options.format ?? "rfc3164";
    this.#socket = dgram.createSocket(net.isIPv6(options.host) ? "udp6" : "udp4");
    this.#socket.on("error", (error) => {
      this.#onError(error);
    });
  }

  /** Messages lost to a full send queue or a closed sink. */
  get dropped(): number {
    return this.#dropped;
  }

  write(line: FwLine): void {
    if (!passesLevel(line.severity, this.#level)) return;
    if (this.#closed || this.#pending >= MAX_PENDING_DATAGRAMS) {
      this.#dropped += 1;
      return;
    }

    this.#sequence += 1;
    this.#pending += 1;
    const datagram = Buffer.from(this.#frame(line), "utf8");
    this.#socket.send(datagram, this.#port, this.#host, (error) => {
      if (error) this.#onError(error);
      this.#settle();
    });
  }

  /** The datagram's text for `line`, within the RFC 3164 bound. */
  #frame(line: FwLine): string {
    if (this.#format === "rfc5424") {
      const options = { facility: this.#facility, hostname: this.#hostname };
      return formatSyslog("rfc5424", line, options, MAX_SYSLOG_DATAGRAM_OCTETS);
    }
    const pri = `<${this.#facility * 8 + line.severity}>`;
    const counter = this.#counter ? `${this.#sequence}: ` : "";
    const origin = this.#hostname === undefined ? "" : `${this.#hostname}: `;
    return limitOctets(`${pri}${counter}${origin}${lineText(line)}`, MAX_SYSLOG_DATAGRAM_OCTETS);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;

    if (this.#pending > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    await new Promise<void>((resolve) => {
      this.#socket.close(resolve);
    });
  }

  #settle(): void {
    this.#pending -= 1;
    if (this.#pending === 0) this.#drained?.();
  }
}

function ignore(): void {
  // A syslog receiver that is down must not disturb the gateway.
}
