import { connect, type Socket } from "node:net";

/** A plain TCP client that records what it receives: for driving the gateway by hand. */
export class RawClient {
  readonly socket: Socket;
  readonly #chunks: Buffer[] = [];
  readonly closed: Promise<{ reset: boolean }>;

  private constructor(socket: Socket) {
    this.socket = socket;
    let reset = false;
    socket.on("data", (chunk: Buffer) => this.#chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      reset = error.code === "ECONNRESET" || reset;
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        resolve({ reset });
      });
    });
  }

  static connect(port: number, host = "127.0.0.1", localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) });
      const client = new RawClient(socket);
      socket.once("connect", () => {
        resolve(client);
      });
      socket.once("error", reject);
    });
  }

  get text(): string {
    return Buffer.concat(this.#chunks).toString("latin1");
  }

  write(text: string | Buffer): void {
    this.socket.write(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  }

  /** Resolves when what was received matches; rejects after the time limit. */
  async waitFor(pattern: RegExp, limitMs = 5_000): Promise<string> {
    const deadline = Date.now() + limitMs;
    while (!pattern.test(this.text)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${String(pattern)}; got ${JSON.stringify(this.text)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.text;
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
