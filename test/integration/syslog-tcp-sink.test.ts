import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { describe, it } from "node:test";

import { eventually } from "../helpers/gateway-fixture.js";
import { freePort } from "../helpers/haproxy.js";
import type { FwLine } from "../../src/log/log-sink.js";
import { formatSyslog } from "../../src/log/syslog-format.js";
import { SyslogTcpSink } from "../../src/log/syslog-tcp-sink.js";

const line = (mnemonic: string): FwLine => ({
  prefix: "",
  message: `%FW-3-${mnemonic}: text of ${mnemonic}`,
  severity: 3,
  mnemonic,
  date: new Date("2026-12-01T10:00:00.000Z"),
});

/** Splits an RFC 6587 octet-counted stream into its messages. */
function frames(stream: Buffer): string[] {
  const messages: string[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const space = stream.indexOf(0x20, offset);
    const length = Number(stream.toString("latin1", offset, space));
    messages.push(stream.toString("utf8", space + 1, space + 1 + length));
    offset = space + 1 + length;
  }
  return messages;
}

describe("syslog over TCP", () => {
  it("queues while the receiver is away, reconnects, and frames by octet count (RFC 6587)", async () => {
    const port = await freePort();
    const sink = new SyslogTcpSink({ host: "127.0.0.1", port, format: "rfc5424", hostname: "gw" });
    sink.write(line("QUEUED"));

    const received: Buffer[] = [];
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on("data", (chunk: Buffer) => received.push(chunk));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      await eventually(() => frames(Buffer.concat(received)).length === 1, 5_000);
      sink.write(line("LIVE"));
      await eventually(() => frames(Buffer.concat(received)).length === 2);
      const [queued, live] = frames(Buffer.concat(received));
      assert.match(
        queued ?? "",
        /^<187>1 2026-12-01T10:00:00\.000Z gw smtpguard \d+ QUEUED - %FW-3-QUEUED: /,
      );
      assert.match(live ?? "", / LIVE - %FW-3-LIVE: text of LIVE$/);
    } finally {
      await sink.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("formats RFC 3164 as IOS does, counter first", () => {
    const text = formatSyslog("rfc3164", line("X"), { facility: 23, sequence: 7 });
    assert.equal(text, "<187>7: %FW-3-X: text of X");
  });
});
