/**
 * The client side of the control socket, for `smtpguard exec --control PATH` and the tests:
 * requests go out one at a time and each waits for its reply; debug lines that arrive between
 * replies go to a listener.
 */

import { connect, type Socket } from "node:net";

import { ControlSocketError } from "../errors.js";
import {
  decodeFrame,
  encodeFrame,
  FrameReader,
  MAX_REPLY_OCTETS,
  type ControlReply,
} from "./control-protocol.js";

/** How long to wait for the gateway to accept a connection. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long one command may take; configuration changes reopen listeners, which is quick. */
export const REPLY_TIMEOUT_MS = 60_000;

interface Waiter {
  readonly resolve: (reply: ControlReply) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ControlClient {
  readonly #socket: Socket;
  readonly #waiters: Waiter[] = [];
  #onLine: (text: string) => void = () => undefined;
  #broken: Error | undefined;
  /** Settles when the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    const reader = new FrameReader(
      MAX_REPLY_OCTETS,
      (text) => {
        this.#frame(text);
      },
      () => {
        this.#fail(new ControlSocketError("reply too long from the gateway"));
      },
    );
    socket.on("data", (chunk: Buffer) => {
      reader.feed(chunk);
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.#fail(new ControlSocketError("the gateway closed the control connection"));
        resolve();
      });
    });
  }

  static connect(path: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ControlSocketError(`no answer from the gateway at ${path}`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new ControlClient(socket));
      });
      socket.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const why = error.code ?? error.message;
        reject(new ControlSocketError(`cannot reach the gateway at ${path}: ${why}`));
      });
    });
  }

  /** Debug and monitor lines, as they come. */
  onLine(listener: (text: string) => void): void {
    this.#onLine = listener;
  }

  request(command: string, timeoutMs = REPLY_TIMEOUT_MS): Promise<ControlReply> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new ControlSocketError(`no reply to "${command}" in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push({ resolve, reject, timer });
      this.#socket.write(encodeFrame({ command }));
    });
  }

  close(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #frame(text: string): void {
    const frame = decodeFrame(text);
    if (frame === undefined) {
      this.#fail(new ControlSocketError("malformed frame from the gateway"));
      return;
    }
    if (frame.type === "line") {
      this.#onLine(frame.text);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter === undefined) return;
    clearTimeout(waiter.timer);
    waiter.resolve(frame);
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.#socket.destroy();
  }
}
