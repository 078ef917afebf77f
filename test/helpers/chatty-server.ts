import { createServer, type Server, type Socket } from "node:net";

/**
 * A line-based test server with replies to order: `NOOP` gets "250 ok", `NOOP big` a reply of
 * about a kilobyte, `EHLO huge` one reply line of a megabyte and `EHLO many` a megabyte of
 * continuation lines; DATA is 354 and the message ends at CRLF "." CRLF. With `deafAfterData`
 * it stops reading once it has said 354 (a server that never reads). It counts command lines.
 */
export class ChattyServer {
  commandLines = 0;
  /** `NOOP big` lines received: each asks for a kilobyte of reply. */
  bigNoops = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(options: { deafAfterData?: boolean } = {}) {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      this.#converse(socket, options.deafAfterData ?? false);
    });
  }

  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.listen(0, "127.0.0.1", () => {
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

  #converse(socket: Socket, deafAfterData: boolean): void {
    let pending = "";
    let inData = false;
    socket.write("220 chatty.test ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1");
      for (;;) {
        const end = pending.indexOf(inData ? "\r\n.\r\n" : "\r\n");
        if (end === -1) break;
        const line = pending.slice(0, end);
        pending = pending.slice(end + (inData ? 5 : 2));
        if (inData) {
          inData = false;
          socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        this.commandLines++;
        if (line === "NOOP big") this.bigNoops++;
        socket.write(replyTo(line));
        if (line === "QUIT") socket.end();
        if (line !== "DATA") continue;
        inData = true;
        // DATA's own CRLF starts the content, so that an empty message ends at ".CRLF".
        pending = `\r\n${pending}`;
        if (deafAfterData) socket.pause();
      }
    });
  }
}

const KILOBYTE_REPLY = `250 ${"k".repeat(1000)}\r\n`;
const MEGABYTE_LINE = `250 ${"m".repeat(1_048_576)}\r\n`;
const MEGABYTE_LINES = `250-${"n".repeat(100)}\r\n`.repeat(10_382) + "250 SIZE 1000000\r\n";

function replyTo(line: string): string {
  switch (line) {
    case "NOOP big":
      return KILOBYTE_REPLY;
    case "EHLO huge":
      return MEGABYTE_LINE;
    case "EHLO many":
      return MEGABYTE_LINES;
    case "DATA":
      return "354 go ahead\r\n";
    case "QUIT":
      return "221 bye\r\n";
    default:
      return /^X+$/.test(line) ? "500 5.5.2 command not recognized\r\n" : "250 ok\r\n";
  }
}
