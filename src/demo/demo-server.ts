import { createHash } from "node:crypto";

import { SMTPServer } from "smtp-server";

/** What the demo server remembers of a message: never its content, only its size and hash. */
export interface ReceivedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly octets: number;
  readonly sha256: string;
}

/** Messages the demo server keeps in memory; older ones are forgotten. */
export const MAX_REMEMBERED_MESSAGES = 1_000;

/** The largest message the demo server accepts (SIZE it advertises), in octets. */
export const DEMO_MAX_MESSAGE_OCTETS = 50 * 1024 * 1024;

export interface DemoServerOptions {
  readonly host: string;
  readonly port: number;
  readonly name?: string;
  /** Called for every message received. */
  readonly onMessage?: (message: ReceivedMessage) => void;
}

/**
 * The embedded mail server that `npm start` puts behind the gateway: it accepts any mail on
 * loopback, keeps a hash of each message and throws the content away.
 */
export class DemoMailServer {
  readonly messages: ReceivedMessage[] = [];
  readonly #server: SMTPServer;
  readonly #options: DemoServerOptions;

  constructor(options: DemoServerOptions) {
    this.#options = options;
    this.#server = new SMTPServer({
      name: options.name ?? "mail.demo.smtpguard",
      banner: "smtpguard demo mail server",
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      size: DEMO_MAX_MESSAGE_OCTETS,
      logger: false,
      // A reverse lookup of every client would cost a DNS round trip (or its timeout) per session.
      disableReverseLookup: true,
      onData: (stream, session, callback) => {
        const hash = createHash("sha256");
        let octets = 0;
        stream.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          octets += chunk.length;
        });
        stream.on("end", () => {
          this.#remember({
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            octets,
            sha256: hash.digest("hex"),
          });
          callback();
        });
      },
    });
    this.#server.on("error", () => {
      // A client's socket error ends its session only; the server keeps serving.
    });
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    const address = this.#server.server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.server.once("error", reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.server.off("error", reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #remember(message: ReceivedMessage): void {
    this.messages.push(message);
    if (this.messages.length > MAX_REMEMBERED_MESSAGES) this.messages.shift();
    this.#options.onMessage?.(message);
  }
}
