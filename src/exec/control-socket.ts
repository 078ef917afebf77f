/**
 * The control socket of `smtpguard run --control PATH`: a Unix socket only its owner may use
 * (mode 0600; that is the whole authentication), on which every connection is a privileged
 * exec console speaking the JSON-lines protocol of control-protocol.ts.
 */

import { lstat, chmod, unlink } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";

import { ControlSocketError } from "../errors.js";
import { BoundedLineWriter } from "./bounded-output.js";
import {
  decodeRequest,
  encodeFrame,
  FrameReader,
  MAX_REQUEST_OCTETS,
  type ControlRequest,
} from "./control-protocol.js";
import { ExecConsole } from "./exec-console.js";
import type { ExecRuntime } from "./exec-runtime.js";

export const CONTROL_SOCKET_MODE = 0o600;
/** Control connections at once; an operator's scripts need a handful. */
export const MAX_CONTROL_CONNECTIONS = 16;
/** How long to wait for a listener on an existing socket file before calling it stale. */
const STALE_PROBE_MS = 1_000;

class ControlConnection {
  readonly #socket: Socket;
  readonly #console: ExecConsole;
  readonly #queue: ControlRequest[] = [];
  #busy = false;

  constructor(socket: Socket, runtime: ExecRuntime) {
    this.#socket = socket;
    const writer = new BoundedLineWriter(
      { write: (text) => socket.write(text), pendingOctets: () => socket.writableLength },
      (text) => encodeFrame({ type: "line", text }),
    );
    this.#console = new ExecConsole({
      runtime,
      privilege: "privileged",
      caretAfterPrompt: false,
      unsolicited: (text) => {
        writer.line(text);
      },
    });
    const reader = new FrameReader(
      MAX_REQUEST_OCTETS,
      (text) => {
        this.#received(text);
      },
      () => {
        this.#refuse("% Request too long\n");
      },
    );
    socket.on("data", (chunk: Buffer) => {
      reader.feed(chunk);
    });
    socket.on("error", () => undefined);
  }

  closed(): void {
    this.#console.close();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #received(text: string): void {
    const request = decodeRequest(text);
    if (request === undefined) {
      this.#refuse("% Malformed request: one JSON object a line, with a command\n");
      return;
    }
    this.#queue.push(request);
    void this.#drain();
  }

  // One request at a time, in order; reading pauses while a command runs.
  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#socket.pause();
    for (let request = this.#queue.shift(); request; request = this.#queue.shift()) {
      const reply = await this.#console.handle(request.command);
      if (this.#socket.destroyed) return;
      this.#socket.write(
        encodeFrame({
          type: "reply",
          status: reply.status,
          text: reply.text,
          prompt: this.#console.prompt,
          streaming: this.#console.streaming,
        }),
      );
      if (this.#console.state === "closed") {
        this.#socket.end();
        return;
      }
    }
    this.#busy = false;
    this.#socket.resume();
  }

  #refuse(text: string): void {
    const frame = {
      type: "reply",
      status: "rejected",
      text,
      prompt: "",
      streaming: false,
    } as const;
    this.#socket.end(encodeFrame(frame));
  }
}

export interface ControlServerOptions {
  readonly runtime: ExecRuntime;
  readonly path: string;
}

export class ControlServer {
  readonly #runtime: ExecRuntime;
  readonly path: string;
  readonly #server: Server;
  readonly #connections = new Set<ControlConnection>();

  constructor(options: ControlServerOptions) {
    this.#runtime = options.runtime;
    this.path = options.path;
    this.#server = createServer((socket) => {
      this.#accept(socket);
    });
  }

  async start(): Promise<void> {
    await removeStaleSocket(this.path);

    // The socket is created with the right mode: no moment when others could connect.
    const previous = process.umask(0o177);
    try {
      await this.#listen();
    } finally {
      process.umask(previous);
    }
    await chmod(this.path, CONTROL_SOCKET_MODE);
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.destroy();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
    await unlink(this.path).catch(() => undefined);
  }

  #listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", (error: NodeJS.ErrnoException) => {
        const why = error.code ?? error.message;
        reject(new ControlSocketError(`cannot open control socket ${this.path}: ${why}`));
      });
      this.#server.listen(this.path, () => {
        resolve();
      });
    });
  }

  #accept(socket: Socket): void {
    if (this.#connections.size >= MAX_CONTROL_CONNECTIONS) {
      socket.on("error", () => undefined);
      const text = "% Too many control connections\n";
      socket.end(
        encodeFrame({ type: "reply", status: "rejected", text, prompt: "", streaming: false }),
      );
      return;
    }
    const connection = new ControlConnection(socket, this.#runtime);
    this.#connections.add(connection);
    socket.on("close", () => {
      this.#connections.delete(connection);
      connection.closed();
    });
  }
}

/**
 * A socket file left by a gateway that died is removed; one a live gateway answers on, or a
 * file that is not a socket at all, is an error rather than something to delete.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const found = await lstat(path).catch(() => undefined);
  if (found === undefined) return;
  if (!found.isSocket()) {
    throw new ControlSocketError(`${path} exists and is not a socket: not removing it`);
  }
  if (await answers(path)) {
    throw new ControlSocketError(`control socket ${path} is in use by a running gateway`);
  }
  await unlink(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    const done = (alive: boolean): void => {
      probe.destroy();
      resolve(alive);
    };
    probe.setTimeout(STALE_PROBE_MS, () => {
      done(true);
    });
    probe.once("connect", () => {
      done(true);
    });
    probe.once("error", () => {
      done(false);
    });
  });
}
