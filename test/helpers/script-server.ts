import { createServer, type Server, type Socket } from "node:net";

/**
 * A tiny SMTP-ish server for integration tests: it records every byte it receives, greets,
 * and answers each line (250, or 354 to DATA and 250 after the message), unless told to
 * stay silent. Real enough to drive the gateway; not a mail server.
 */
export interface ScriptServerOptions {
  /** Say nothing at all: no greeting, no replies (a server that hangs). */
  readonly silent?: boolean;
}

export class ScriptServer {
  readonly received: Buffer[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(options: ScriptServerOptions = {}) {
    this.#server = createServer({ allowHalfOpen: true }, (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      if (!options.silent) converse(socket, (chunk) => this.received.push(chunk));
      else socket.on("data", (chunk: Buffer) => this.received.push(chunk));
    });
  }

  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  get text(): string {
    return Buffer.concat(this.received).toString("latin1");
  }

  listen(host = "127.0.0.1"): Promise<void> {
    return new Promise((resolve) => {
      this.#server.listen(0, host, () => {
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}

function converse(socket: Socket, record: (chunk: Buffer) => void): void {
  let pending = "";
  let inData = false;
  socket.write("220 script.test ESMTP\r\n");
  socket.on("data", (chunk: Buffer) => {
    record(chunk);
    pending += chunk.toString("latin1");
    for (let lf = pending.indexOf("\n"); lf !== -1; lf = pending.indexOf("\n")) {
      const line = pending.slice(0, lf + 1);
      pending = pending.slice(lf + 1);
      if (inData) {
        if (line === ".\r\n") {
          inData = false;
          socket.write("250 2.0.0 queued\r\n");
        }
        continue;
      }
      socket.write(replyTo(line));
      if (/^data\r?\n$/i.test(line)) inData = true;
      if (/^quit/i.test(line)) socket.end();
    }
  });
  socket.on("end", () => socket.end());
}

function replyTo(line: string): string {
  if (/^data\r?\n$/i.test(line)) return "354 go ahead\r\n";
  if (/^quit/i.test(line)) return "221 bye\r\n";
  if (/^X+\r?\n$/.test(line)) return "500 5.5.2 command not recognized\r\n";
  return "250 ok\r\n";
}
