import { createServer, type Server, type Socket } from "node:net";

/**
 * The sloppiest mail server the 2023 SMTP smuggling research found, in one: it ends a command
 * line at LF or at CR, drops NULs, and ends message content at any end-of-data look-alike
 * (LF.LF, LF.CRLF, CRLF.LF, CR.CR, CR.CRLF, CRLF.CR, and CRLF.CRLF once NULs are gone). Behind
 * it, whatever follows a look-alike is read as new commands: a smuggled second message. It
 * counts the messages it accepted.
 */
export class PermissiveServer {
  /** Message contents accepted, in order. */
  readonly messages: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.#server = createServer({ allowHalfOpen: true }, (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      this.#converse(socket);
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

  #converse(socket: Socket): void {
    let pending = "";
    let inData = false;
    socket.write("220 permissive.test ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1").replaceAll("\0", "");
      for (;;) {
        if (inData) {
          const end = lookAlikeEnd(pending);
          if (end === undefined) return;
          this.messages.push(pending.slice(0, end.start));
          pending = pending.slice(end.next);
          inData = false;
          socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        const lineEnd = pending.search(/[\r\n]/);
        if (lineEnd === -1) return;
        const line = pending.slice(0, lineEnd);
        pending = pending.slice(pending.startsWith("\r\n", lineEnd) ? lineEnd + 2 : lineEnd + 1);
        if (line === "") continue;
        inData = this.#answer(socket, line);
      }
    });
    socket.on("end", () => socket.end());
  }

  /** Answers one command line; true when message content follows. */
  #answer(socket: Socket, line: string): boolean {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === "DATA") {
      socket.write("354 go ahead\r\n");
      return true;
    }
    if (verb === "QUIT") {
      socket.end("221 bye\r\n");
      return false;
    }
    if (verb === "EHLO") socket.write("250-permissive.test\r\n250 PIPELINING\r\n");
    else if (/^X+$/.test(line)) socket.write("500 5.5.2 command not recognized\r\n");
    else socket.write("250 ok\r\n");
    return false;
  }
}

/** The earliest end-of-data look-alike: a dot alone between any two of CRLF, LF and CR. */
function lookAlikeEnd(content: string): { start: number; next: number } | undefined {
  // Content starts at a line start, so a dot at position 0 counts as after a line end.
  const match = /(^|\r\n|\n|\r)\.(\r\n|\n|\r)/.exec(content);
  if (match === null) return undefined;
  return { start: match.index, next: match.index + match[0].length };
}
