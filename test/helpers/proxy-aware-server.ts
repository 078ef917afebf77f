import { createServer, type Server, type Socket } from "node:net";

import type { ProxyHeader } from "../../src/gateway/proxy-header-parser.js";
import { readProxyHeader } from "../../src/gateway/proxy-header-reader.js";

/**
 * A mail server that expects a PROXY header first, as Postfix with
 * `smtpd_upstream_proxy_protocol` does: it records each header, then greets and answers 250.
 */
export class ProxyAwareServer {
  readonly headers: ProxyHeader[] = [];
  readonly failures: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.#server = createServer({ pauseOnConnect: true }, (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      void readProxyHeader(socket, 2_000).then((result) => {
        if (result.kind === "failed") {
          this.failures.push(result.reason);
          socket.destroy();
          return;
        }
        this.headers.push(result.header);
        answer(socket);
      });
    });
  }

  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.listen(0, "127.0.0.1", resolve);
    });
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }
}

function answer(socket: Socket): void {
  let pending = "";
  socket.write("220 proxy-aware.test ESMTP\r\n");
  socket.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    for (let lf = pending.indexOf("\n"); lf !== -1; lf = pending.indexOf("\n")) {
      const line = pending.slice(0, lf + 1);
      pending = pending.slice(lf + 1);
      socket.write(/^quit/i.test(line) ? "221 bye\r\n" : "250 ok\r\n");
      if (/^quit/i.test(line)) socket.end();
    }
  });
  socket.resume();
}
