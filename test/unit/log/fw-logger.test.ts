import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { alertOn, smtpInvalidCommand } from "../../../src/log/catalogue.js";
import { FwLogger } from "../../../src/log/fw-logger.js";
import { BufferedSink } from "../../../src/log/buffered-sink.js";
import { StderrSink } from "../../../src/log/stderr-sink.js";

const START = Date.UTC(2026, 11, 3, 16, 49, 23, 123);
const initiator = { address: "192.168.12.3", port: 52419 };

function collector(): { readonly text: string[]; write(text: string): boolean } {
  const text: string[] = [];
  return {
    text,
    write(chunk: string) {
      text.push(chunk);
      return true;
    },
  };
}

describe("FwLogger", () => {
  it("stamps once and fans out to every sink", () => {
    const output = collector();
    const buffer = new BufferedSink();
    const logger = new FwLogger({
      sinks: [new StderrSink({ output }), buffer],
      timestamps: { kind: "datetime", msec: true, localtime: false },
      now: () => START,
    });

    logger.log(alertOn({ count: 550, high: 500, rate: 250 }));

    const expected =
      "Dec  3 16:49:23.123: %FW-4-ALERT_ON: getting aggressive, count (550/500) current 1-min rate: 250";
    assert.deepEqual(output.text, [`${expected}\n`]);
    assert.deepEqual(buffer.lines(), [expected]);
  });

  it("stamps uptime from the start of the gateway", () => {
    let now = START;
    const buffer = new BufferedSink();
    const logger = new FwLogger({ sinks: [buffer], now: () => now, startedAt: START });

    now += 754_000;
    logger.log(smtpInvalidCommand({ initiator }));
    assert.deepEqual(buffer.lines(), [
      "00:12:34: %FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.168.12.3:52419)",
    ]);
  });

  it("takes new timestamps for the next line", () => {
    const buffer = new BufferedSink();
    const logger = new FwLogger({ sinks: [buffer], now: () => START });
    logger.timestamps = { kind: "none" };
    logger.log(smtpInvalidCommand({ initiator }));
    assert.match(buffer.lines()[0] ?? "", /^%FW-4-/);
  });

  it("streams lines to listeners until they unsubscribe", () => {
    const logger = new FwLogger({ sinks: [], now: () => START });
    const seen: string[] = [];
    const stop = logger.onLine((line) => seen.push(`${line.severity} ${line.mnemonic}`));

    logger.log(alertOn({ count: 1, high: 1, rate: 1 }));
    stop();
    logger.log(alertOn({ count: 2, high: 1, rate: 1 }));
    assert.deepEqual(seen, ["4 ALERT_ON"]);
  });

  it("lets a listener unsubscribe while it is called", () => {
    const logger = new FwLogger({ sinks: [], now: () => START });
    let calls = 0;
    const stop = logger.onLine(() => {
      calls += 1;
      stop();
    });
    logger.log(alertOn({ count: 1, high: 1, rate: 1 }));
    logger.log(alertOn({ count: 1, high: 1, rate: 1 }));
    assert.equal(calls, 1);
  });

  it("closes every sink", async () => {
    let closed = 0;
    const sink = {
      write: () => undefined,
      close: () => {
        closed += 1;
        return Promise.resolve();
      },
    };
    await new FwLogger({ sinks: [sink, sink] }).close();
    assert.equal(closed, 2);
  });
});

describe("StderrSink", () => {
  it("filters by its level", () => {
    const output = collector();
    const logger = new FwLogger({
      sinks: [new StderrSink({ output, level: 3 })],
      timestamps: { kind: "none" },
    });
    logger.log(alertOn({ count: 1, high: 1, rate: 1 }));
    assert.deepEqual(output.text, []);
  });
});
