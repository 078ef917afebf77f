/**
 * The vty: a telnet-style line console on a loopback TCP port. A connection takes the lowest
 * free vty line of the configuration, asks for the line password when `login` is set (three
 * tries), then runs an exec console at the user level until `exit`, a timeout, or a hang-up.
 * Passwords are never echoed (the client is asked to stop echoing) and never logged.
 */

import { createServer, type Server, type Socket } from "node:net";

import { ListenError } from "../gateway/gateway.js";
import type { Endpoint } from "../log/catalogue.js";
import { BoundedLineWriter } from "./bounded-output.js";
import { ExecConsole, sameText } from "./exec-console.js";
import type { ExecRuntime } from "./exec-runtime.js";
import { TelnetLineReader, WILL_ECHO, WONT_ECHO, type VtyInputLine } from "./telnet-input.js";
import { LoginGate, loginDisabledText, vtyNumbers, vtySettings } from "./vty-login.js";

/** IOS gives 30 seconds to answer the password prompt. */
export const LOGIN_TIMEOUT_MS = 30_000;
/** IOS's default `exec-timeout 10 0`: a console idle this long is hung up. */
export const EXEC_TIMEOUT_MS = 10 * 60_000;

type VtyPhase = "login" | "exec" | "closed";

function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

class VtyConnection {
  readonly #socket: Socket;
  readonly #runtime: ExecRuntime;
  readonly #number: number;
  readonly #writer: BoundedLineWriter;
  readonly #queue: VtyInputLine[] = [];
  #phase: VtyPhase = "login";
  #gate: LoginGate | undefined;
  #console: ExecConsole | undefined;
  #busy = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, number: number, runtime: ExecRuntime) {
    this.#socket = socket;
    this.#number = number;
    this.#runtime = runtime;
    this.#writer = new BoundedLineWriter(
      { write: (text) => socket.write(text), pendingOctets: () => socket.writableLength },
      (line) => `${line}\r\n`,
    );
    const reader = new TelnetLineReader((line) => {
      this.#queue.push(line);
      void this.#drain();
    });
    socket.on("data", (chunk: Buffer) => {
      reader.feed(chunk);
    });
    socket.on("error", () => undefined);
  }

  /** Called once the socket has closed, whoever closed it. */
  closed(): void {
    this.#phase = "closed";
    this.#clearTimer();
    this.#console?.close();
  }

  greet(): void {
    const settings = vtySettings(this.#runtime.model, this.#number);
    if (!settings.login) {
      this.#startExec("\r\n");
      return;
    }
    const password = settings.password;
    if (password === undefined) {
      this.#hangUp(`\r\n${loginDisabledText(this.#number)}\r\n`);
      return;
    }
    this.#gate = new LoginGate((candidate) => sameText(password.text, candidate));
    this.#socket.write("\r\n\r\nUser Access Verification\r\n\r\n");
    this.#socket.write(WILL_ECHO);
    this.#socket.write("Password: ");
    this.#arm(LOGIN_TIMEOUT_MS, "\r\n% Password:  timeout expired!\r\n");
  }

  // One line at a time, in order: the socket is paused while a command runs.
  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#socket.pause();
    for (let line = this.#queue.shift(); line !== undefined; line = this.#queue.shift()) {
      if (this.#phase === "closed") break;
      if (this.#phase === "login") this.#login(line);
      else await this.#exec(line);
    }
    this.#busy = false;
    if (this.#phase !== "closed") this.#socket.resume();
  }

  #login(line: VtyInputLine): void {
    const verdict = this.#gate?.check(line.text) ?? "refused";
    if (verdict === "accepted") {
      this.#socket.write(WONT_ECHO);
      this.#startExec("\r\n");
    } else if (verdict === "retry") {
      this.#socket.write("\r\nPassword: ");
    } else {
      this.#socket.write(WONT_ECHO);
      this.#hangUp("\r\n% Bad passwords\r\n\r\n");
    }
  }

  #startExec(preamble: string): void {
    this.#phase = "exec";
    this.#gate = undefined;
    this.#console = new ExecConsole({
      runtime: this.#runtime,
      privilege: "user",
      caretAfterPrompt: true,
      unsolicited: (text) => {
        if (this.#phase === "exec") this.#writer.line(text);
      },
    });
    this.#socket.write(`${preamble}${this.#console.prompt}`);
    this.#armIdle();
  }

  async #exec(line: VtyInputLine): Promise<void> {
    const console = this.#console;
    if (console === undefined) return;
    this.#armIdle();

    const hidden = console.hidesInput;
    const reply = line.overflow
      ? { text: "% Input line too long\n" }
      : await console.handle(line.text);
    if (this.#phase === "closed") return;
    if (hidden) this.#socket.write(Buffer.concat([WONT_ECHO, Buffer.from("\r\n")]));
    this.#socket.write(crlf(reply.text));

    if (console.state === "closed") {
      this.#hangUp("");
      return;
    }
    if (console.hidesInput) this.#socket.write(WILL_ECHO);
    this.#socket.write(console.prompt);
  }

  #armIdle(): void {
    this.#arm(EXEC_TIMEOUT_MS, "\r\n% Exec timeout expired\r\n");
  }

  #arm(ms: number, farewell: string): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#hangUp(farewell);
    }, ms);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #hangUp(farewell: string): void {
    this.#phase = "closed";
    this.#clearTimer();
    this.#socket.end(farewell);
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

export interface VtyServerOptions {
  readonly runtime: ExecRuntime;
  readonly listen: Endpoint;
}

export class VtyServer {
  readonly #runtime: ExecRuntime;
  readonly #listen: Endpoint;
  readonly #server: Server;
  /** Connections by the vty line they hold. */
  readonly #lines = new Map<number, VtyConnection>();

  constructor(options: VtyServerOptions) {
    this.#runtime = options.runtime;
    this.#listen = options.listen;
    this.#server = createServer((socket) => {
      this.#accept(socket);
    });
  }

  /** The address bound (a port 0 becomes a real one). */
  get address(): Endpoint {
    const bound = this.#server.address();
    if (bound === null || typeof bound === "string") return { address: "", port: 0 };
    return { address: bound.address, port: bound.port };
  }

  /** Lines held by a connection now. */
  get linesInUse(): number {
    return this.#lines.size;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", (error: NodeJS.ErrnoException) => {
        reject(new ListenError(this.#listen, error));
      });
      this.#server.listen({ host: this.#listen.address, port: this.#listen.port }, () => {
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const connection of this.#lines.values()) connection.destroy();
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  // The lowest free line of the configuration; none free, the caller is told and hung up on.
  #accept(socket: Socket): void {
    socket.on("error", () => undefined);
    const number = vtyNumbers(this.#runtime.model).find((candidate) => !this.#lines.has(candidate));
    if (number === undefined) {
      socket.end("% All vty lines are in use\r\n");
      return;
    }
    socket.setNoDelay(true);
    const connection = new VtyConnection(socket, number, this.#runtime);
    this.#lines.set(number, connection);
    socket.on("close", () => {
      this.#lines.delete(number);
      connection.closed();
    });
    connection.greet();
  }
}
