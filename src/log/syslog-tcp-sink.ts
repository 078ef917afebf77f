/**
 * `logging host A transport tcp`: messages over one TCP connection with RFC 6587 octet-counting
 * framing (`LENGTH SP MESSAGE`). Messages wait in a bounded queue while the receiver is away,
 * and the sink reconnects with a growing pause; past the bound, the oldest are dropped.
 */

import { Socket } from "node:net";

import type { FwLine, LogSink } from "./log-sink.js";
import { DEFAULT_TRAP_LEVEL, passesLevel, type Severity } from "./severity.js";
import { formatSyslog, type SyslogFormat } from "./syslog-format.js";
import { DEFAULT_SYSLOG_FACILITY } from "./syslog-udp-sink.js";

/** IANA: syslog over TCP (RFC 3195's port, used by RFC 6587 receivers such as rsyslog). */
export const DEFAULT_SYSLOG_TCP_PORT = 601;

/** Messages kept while the receiver is unreachable; the oldest go first past this. */
export const MAX_QUEUED_SYSLOG_MESSAGES = 1024;

/** Ours: octets written to a slow receiver and not yet sent; past this, messages are dropped. */
export const MAX_UNSENT_SYSLOG_OCTETS = 1024 * 1024;

/** Ours: the first pause before reconnecting, doubled up to the second. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export interface SyslogTcpSinkOptions {
  readonly host: string;
  readonly port?: number;
  readonly level?: Severity;
  readonly facility?: number;
  readonly hostname?: string;
  readonly format?: SyslogFormat;
}

type ConnectionState = "connecting" | "open" | "waiting" | "closed";

export class SyslogTcpSink implements LogSink {
  readonly #options: SyslogTcpSinkOptions;
  readonly #level: Severity;
  readonly #queue: Buffer[] = [];
  #socket: Socket | undefined;
  #state: ConnectionState = "waiting";
  #pause = RECONNECT_FIRST_MS;
  #timer: NodeJS.Timeout | undefined;
  #sequence = 0;
  #dropped = 0;

  constructor(options: SyslogTcpSinkOptions) {
    this.#options = options;
    this.#level = options.level ?? DEFAULT_TRAP_LEVEL;
    this.#connect();
  }

  /** Messages lost to a full queue. */
  get dropped(): number {
    return this.#dropped;
  }

  write(line: FwLine): void {
    if (!passesLevel(line.severity, this.#level) || this.#state === "closed") return;
    this.#sequence += 1;
    const text = formatSyslog(this.#options.format ?? "rfc3164", line, {
      facility: this.#options.facility ?? DEFAULT_SYSLOG_FACILITY,
      hostname: this.#options.hostname,
      sequence: this.#sequence,
    });
    // RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG, the length in octets.
    const message = Buffer.from(text, "utf8");
    const frame = Buffer.concat([Buffer.from(`${message.length} `, "latin1"), message]);

    if (this.#state === "open" && this.#socket !== undefined) {
      if (this.#socket.writableLength > MAX_UNSENT_SYSLOG_OCTETS) this.#dropped += 1;
      else this.#socket.write(frame);
      return;
    }
    if (this.#queue.length >= MAX_QUEUED_SYSLOG_MESSAGES) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    this.#queue.push(frame);
  }

  async close(): Promise<void> {
    if (this.#state === "closed") return;
    const socket = this.#state === "open" ? this.#socket : undefined;
    this.#state = "closed";
    clearTimeout(this.#timer);
    if (socket === undefined) {
      this.#socket?.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      socket.once("close", () => {
        resolve();
      });
      socket.end();
    });
  }

  #connect(): void {
    this.#state = "connecting";
    const socket = new Socket();
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      if (this.#state === "closed") return;
      this.#state = "open";
      this.#pause = RECONNECT_FIRST_MS;
      for (const frame of this.#queue.splice(0)) socket.write(frame);
    });
    socket.on("error", () => {
      // A receiver that is down must not disturb the gateway; "close" follows.
    });
    socket.on("close", () => {
      this.#retryLater();
    });
    socket.connect({
      host: this.#options.host,
      port: this.#options.port ?? DEFAULT_SYSLOG_TCP_PORT,
    });
  }

  #retryLater(): void {
    if (this.#state === "closed") return;
    this.#state = "waiting";
    this.#timer = setTimeout(() => {
      this.#connect();
    }, this.#pause);
    this.#timer.unref();
    this.#pause = Math.min(this.#pause * 2, RECONNECT_MAX_MS);
  }
}
