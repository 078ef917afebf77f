import { connect, type Socket } from "node:net";

/** A client that waits longer than this for a reply gives up on the session. */
const REPLY_TIMEOUT_MS = 10_000;

/** A reply that is not the expected one, or none at all. */
export class ConversationError extends Error {}

/**
 * A minimal SMTP client for the latency and idle tests: it sends one command at a time, as
 * smtp-source does, and reads whole replies (RFC 5321 4.2: `NNN-` goes on, `NNN ` ends).
 */
export class SmtpConversation {
  readonly #socket: Socket;
  #buffered = "";
  readonly #codes: number[] = [];
  #wake: (() => void) | undefined;
  #failure: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding("latin1");
    socket.setTimeout(REPLY_TIMEOUT_MS);
    socket.on("data", (text: string) => {
      this.#read(text);
    });
    socket.on("timeout", () => {
      this.#fail(new ConversationError("no reply in time"));
    });
    socket.on("error", (error) => {
      this.#fail(error);
    });
    socket.on("close", () => {
      this.#fail(new ConversationError("connection closed"));
    });
  }

  static open(port: number): Promise<SmtpConversation> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new SmtpConversation(socket));
      });
    });
  }

  /** Waits for the next whole reply and checks its code. */
  async expect(code: number): Promise<void> {
    const got = await this.#nextCode();
    if (got !== code) throw new ConversationError(`expected ${code}, got ${got}`);
  }

  send(bytes: string | Buffer): void {
    this.#socket.write(bytes);
  }

  close(): void {
    this.#socket.destroy();
  }

  async #nextCode(): Promise<number> {
    for (;;) {
      const code = this.#codes.shift();
      if (code !== undefined) return code;
      if (this.#failure !== undefined) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #read(text: string): void {
    this.#buffered += text;
    let lf = this.#buffered.indexOf("\n");
    while (lf !== -1) {
      const line = this.#buffered.slice(0, lf);
      this.#buffered = this.#buffered.slice(lf + 1);
      if (line[3] !== "-") this.#codes.push(Number(line.slice(0, 3)));
      lf = this.#buffered.indexOf("\n");
    }
    this.#wakeReader();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** A 1 KiB message in the shape smtp-source sends: a few headers, then 80-octet lines. */
export function smallMessage(): Buffer {
  const headers =
    "From: <bench@smtpguard.test>\r\nTo: <sink@smtpguard.test>\r\nSubject: bench\r\n\r\n";
  const line = `${"X".repeat(78)}\r\n`;
  return Buffer.from(`${headers}${line.repeat(13)}.\r\n`, "latin1");
}

/** One whole session, HELO to QUIT, with one message; resolves with its duration in ms. */
export async function oneMessageSession(port: number, message: Buffer): Promise<number> {
  const started = performance.now();
  const conversation = await SmtpConversation.open(port);
  try {
    await conversation.expect(220);
    const steps: [string | Buffer, number][] = [
      ["HELO bench.smtpguard.test\r\n", 250],
      ["MAIL FROM:<bench@smtpguard.test>\r\n", 250],
      ["RCPT TO:<sink@smtpguard.test>\r\n", 250],
      ["DATA\r\n", 354],
      [message, 250],
      ["QUIT\r\n", 221],
    ];
    for (const [bytes, code] of steps) {
      conversation.send(bytes);
      await conversation.expect(code);
    }
    return performance.now() - started;
  } finally {
    conversation.close();
  }
}
