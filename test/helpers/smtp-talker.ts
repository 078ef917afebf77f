import { connect, type Socket } from "node:net";

/** One whole reply as the client read it: its code and every line, line ends dropped. */
export interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

/**
 * A client that speaks SMTP by hand over a raw socket: it writes exactly the bytes it is given
 * (split as the test likes) and reads replies one at a time, multi-line replies whole. Unlike
 * nodemailer it pipelines, segments and misbehaves on request.
 */
export class SmtpTalker {
  readonly socket: Socket;
  readonly closed: Promise<{ reset: boolean }>;
  #buffer = "";
  /** Where the unread part of the buffer starts: replies are read without copying the rest. */
  #read = 0;
  #wake: (() => void) | undefined;
  #ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    let reset = false;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer += chunk.toString("latin1");
      this.#wake?.();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      reset ||= error.code === "ECONNRESET" || error.code === "EPIPE";
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.#ended = true;
        this.#wake?.();
        resolve({ reset });
      });
    });
  }

  static open(port: number, host = "127.0.0.1"): Promise<SmtpTalker> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.setNoDelay(true);
      const talker = new SmtpTalker(socket);
      socket.once("connect", () => {
        resolve(talker);
      });
      socket.once("error", reject);
    });
  }

  /** Everything received and not yet read as a reply. */
  get unread(): string {
    return this.#buffer.slice(this.#read);
  }

  write(bytes: string | Buffer): void {
    if (this.socket.writable) {
      this.socket.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
    }
  }

  /** Writes the bytes in pieces of random length, yielding now and then so they travel apart. */
  async writeInPieces(bytes: Buffer, random: () => number, maxPiece = 4096): Promise<void> {
    let at = 0;
    while (at < bytes.length && this.socket.writable) {
      const size = 1 + Math.floor(random() * maxPiece);
      const drained = this.socket.write(bytes.subarray(at, at + size));
      at += size;
      if (!drained) await new Promise((resolve) => this.socket.once("drain", resolve));
      else if (random() < 0.1) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The next whole reply; rejects when the connection ends first or the time runs out. */
  async reply(limitMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const reply = this.#takeReply();
      if (reply !== undefined) return reply;
      if (this.#ended) throw new Error(`connection closed; unread ${JSON.stringify(this.unread)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply in time; unread ${JSON.stringify(this.unread)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Sends a line and reads its reply. */
  async command(line: string, limitMs?: number): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.reply(limitMs);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #takeReply(): Reply | undefined {
    const lines: string[] = [];
    let at = this.#read;
    for (;;) {
      const lf = this.#buffer.indexOf("\n", at);
      if (lf === -1) return undefined;
      const line = this.#buffer.slice(at, lf).replace(/\r$/, "");
      lines.push(line);
      at = lf + 1;
      // A line that is not "NNN-" ends the reply (a garbage line is a reply of its own).
      if (!/^\d{3}-/.test(line)) {
        this.#consumed(at);
        return { code: Number.parseInt(line.slice(0, 3), 10) || 0, lines };
      }
    }
  }

  #consumed(at: number): void {
    this.#read = at;
    if (at > 65_536 && at * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(at);
      this.#read = 0;
    }
  }
}

/** A small, seeded pseudo-random generator (mulberry32), so that a failing run can be rerun. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of a test run: SMTPGUARD_SEED when set, else one printed so it can be replayed. */
export function testSeed(): number {
  const given = process.env.SMTPGUARD_SEED;
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  return seed;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
