import assert from "node:assert/strict";
import dgram from "node:dgram";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";

import {
  MAX_PENDING_DATAGRAMS,
  MAX_SYSLOG_DATAGRAM_OCTETS,
  SyslogUdpSink,
} from "../../../src/log/syslog-udp-sink.js";
import { fwLine } from "./line-fixture.js";

/** A loopback syslog receiver on an ephemeral port that collects datagrams in order. */
class Receiver {
  readonly socket = dgram.createSocket("udp4");
  readonly datagrams: Buffer[] = [];
  #waiters: (() => void)[] = [];

  constructor() {
    this.socket.on("message", (datagram) => {
      this.datagrams.push(datagram);
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
  }

  async listen(): Promise<number> {
    this.socket.bind(0, "127.0.0.1");
    await once(this.socket, "listening");
    return this.socket.address().port;
  }

  async next(count: number): Promise<string[]> {
    while (this.datagrams.length < count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.datagrams.splice(0, count).map((datagram) => datagram.toString("utf8"));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.close(resolve);
    });
  }
}

describe("syslog over UDP", () => {
  const receiver = new Receiver();
  let port = 0;

  before(async () => {
    port = await receiver.listen();
  });

  after(async () => {
    await receiver.close();
  });

  it("frames as IOS does: <PRI> on local7, the counter, the stamp, the message", async () => {
    const sink = new SyslogUdpSink({ host: "127.0.0.1", port });
    sink.write(
      fwLine(
        "%FW-4-ALERT_ON: getting aggressive, count (550/500) current 1-min rate: 250",
        4,
        "*Dec  3 16:49:23.123: ",
      ),
    );
    sink.write(fwLine("%FW-6-SESS_AUDIT_TRAIL_START: Start smtp session", 6));
    await sink.close();

    assert.deepEqual(await receiver.next(2), [
      "<188>1: *Dec  3 16:49:23.123: %FW-4-ALERT_ON: getting aggressive, count (550/500) current 1-min rate: 250",
      "<190>2: %FW-6-SESS_AUDIT_TRAIL_START: Start smtp session",
    ]);
  });

  it("sends at logging trap informational and above by default", async () => {
    const sink = new SyslogUdpSink({ host: "127.0.0.1", port });
    sink.write(fwLine("%FW-7-TEST: debugging", 7));
    sink.write(fwLine("%FW-6-TEST: informational", 6));
    await sink.close();

    assert.deepEqual(await receiver.next(1), ["<190>1: %FW-6-TEST: informational"]);
  });

  it("honours a stricter logging trap, another facility and the origin hostname", async () => {
    const sink = new SyslogUdpSink({
      host: "127.0.0.1",
      port,
      level: 3,
      facility: 16,
      hostname: "Router",
      counter: false,
    });
    sink.write(fwLine("%FW-4-TEST: warning", 4));
    sink.write(fwLine("%FW-2-BLOCK_HOST: critical", 2));
    await sink.close();

    // local0 is 16: 16 * 8 + 2.
    assert.deepEqual(await receiver.next(1), ["<130>Router: %FW-2-BLOCK_HOST: critical"]);
  });

  it("cuts a datagram to 1024 octets without splitting a character", async () => {
    const sink = new SyslogUdpSink({ host: "127.0.0.1", port });
    sink.write(fwLine(`%FW-6-TEST: ${"é".repeat(2000)}`, 6));
    await sink.close();

    const [datagram] = await receiver.next(1);
    assert.ok(datagram !== undefined);
    assert.ok(Buffer.byteLength(datagram) <= MAX_SYSLOG_DATAGRAM_OCTETS);
    assert.ok(Buffer.byteLength(datagram) >= MAX_SYSLOG_DATAGRAM_OCTETS - 1);
    assert.doesNotMatch(datagram, /\uFFFD/);
  });

  it("counts what is written after close as dropped, and closes twice safely", async () => {
    const sink = new SyslogUdpSink({ host: "127.0.0.1", port });
    await sink.close();
    sink.write(fwLine("%FW-6-TEST: late", 6));
    assert.equal(sink.dropped, 1);
    await sink.close();
  });

  it("refuses a facility outside 0-23 and a port outside 1-65535", () => {
    assert.throws(() => new SyslogUdpSink({ host: "127.0.0.1", port, facility: 24 }), RangeError);
    assert.throws(() => new SyslogUdpSink({ host: "127.0.0.1", port: 65_536 }), RangeError);
  });

  it("drops what exceeds its send queue instead of growing it", async () => {
    // A receiver of its own: the kernel may drop some of a burst, and this test reads none.
    const burst = new Receiver();
    const sink = new SyslogUdpSink({ host: "127.0.0.1", port: await burst.listen() });
    for (let index = 0; index < MAX_PENDING_DATAGRAMS + 44; index += 1) {
      sink.write(fwLine(`%FW-6-TEST: ${index}`, 6));
    }
    assert.equal(sink.dropped, 44);

    await sink.close();
    await burst.close();
  });
});
