import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";

import { startGateway } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";

/**
 * A server that speaks CHUNKING (RFC 3030) well enough for the test: it reads `BDAT n [LAST]`
 * and exactly n octets after it, answers 250 per chunk, and keeps each message's hash.
 */
class ChunkingServer {
  readonly messages: string[] = [];
  readonly #server: Server;

  constructor() {
    this.#server = createServer((socket) => {
      this.#converse(socket);
    });
  }

  get port(): number {
    const address = this.#server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  #converse(socket: Socket): void {
    let pending = Buffer.alloc(0);
    let chunkLeft = 0;
    let last = false;
    let message: Buffer[] = [];
    socket.on("error", () => undefined);
    socket.write("220 chunking.test ESMTP\r\n");
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        if (chunkLeft > 0) {
          const take = Math.min(chunkLeft, pending.length);
          message.push(pending.subarray(0, take));
          pending = pending.subarray(take);
          chunkLeft -= take;
          if (chunkLeft > 0) return;
          if (last) {
            this.messages.push(createHash("sha256").update(Buffer.concat(message)).digest("hex"));
            message = [];
          }
          socket.write(last ? "250 2.0.0 queued\r\n" : "250 2.0.0 chunk ok\r\n");
          continue;
        }
        const lf = pending.indexOf(0x0a);
        if (lf < 0) return;
        const line = pending.subarray(0, lf + 1).toString("latin1");
        pending = pending.subarray(lf + 1);
        const bdat = /^BDAT (\d+)( LAST)?\r\n$/i.exec(line);
        if (bdat !== null) {
          chunkLeft = Number(bdat[1]);
          last = bdat[2] !== undefined;
          if (chunkLeft === 0) socket.write("250 2.0.0 queued\r\n");
          continue;
        }
        if (/^EHLO/i.test(line)) {
          socket.write("250-chunking.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 BINARYMIME\r\n");
        } else if (/^QUIT/i.test(line)) {
          socket.end("221 bye\r\n");
        } else {
          socket.write("250 2.1.0 ok\r\n");
        }
      }
    });
  }
}

describe("BDAT through an esmtp rule, with a raw client and a CHUNKING server", () => {
  const server = new ChunkingServer();
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    await server.listen();
    fixture = await startGateway({ upstreamPort: server.port });
  });
  after(async () => {
    await fixture.gateway.stop();
    await server.close();
  });

  it("relays pipelined binary chunks counted exactly, end-of-data look-alikes included", async () => {
    const first = Buffer.concat([
      Buffer.from("Subject: bdat\r\n\r\n.\r\n\n.\n"),
      randomBytes(3000),
    ]);
    const second = randomBytes(777);
    const client = await RawClient.connect(fixture.port);
    await client.waitFor(/^220 /);
    client.write("EHLO client.test\r\n");
    await client.waitFor(/^250 BINARYMIME\r\n/m);
    client.write(
      Buffer.concat([
        Buffer.from("MAIL FROM:<a@example.org> BODY=BINARYMIME\r\nRCPT TO:<b@example.org>\r\n"),
        Buffer.from(`BDAT ${first.length}\r\n`),
        first,
        Buffer.from(`BDAT ${second.length} LAST\r\n`),
        second,
        Buffer.from("QUIT\r\n"),
      ]),
    );
    await client.closed;
    assert.match(client.text, /250 2\.0\.0 chunk ok\r\n250 2\.0\.0 queued\r\n221 bye/);
    const expected = createHash("sha256")
      .update(Buffer.concat([first, second]))
      .digest("hex");
    assert.deepEqual(server.messages, [expected]);
    assert.ok(!fixture.logs.some((line) => /INVALID_COMMAND|COMMAND_REFUSED|SMUGGLING/.test(line)));
  });
});
