import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  BufferedSink,
  DEFAULT_BUFFER_OCTETS,
  MIN_BUFFER_OCTETS,
} from "../../../src/log/buffered-sink.js";
import { fwLine } from "./line-fixture.js";

// 99 characters and its newline: 100 octets per line.
function hundredOctets(index: number): string {
  return `%FW-6-TEST: ${String(index).padStart(4, "0")}`.padEnd(99, ".");
}

describe("logging buffered", () => {
  it("holds 4096 octets by default, as IOS 12.x", () => {
    assert.equal(new BufferedSink().capacityOctets, DEFAULT_BUFFER_OCTETS);
  });

  it("keeps the newest lines within its size, oldest first", () => {
    const sink = new BufferedSink();
    for (let index = 0; index < 100; index += 1) sink.write(fwLine(hundredOctets(index)));

    const lines = sink.lines();
    assert.equal(lines.length, 40);
    assert.equal(lines[0], hundredOctets(60));
    assert.equal(lines.at(-1), hundredOctets(99));
    assert.equal(sink.usedOctets, 4000);
    assert.equal(sink.logged, 100);
  });

  it("never holds more than its size, whatever the line lengths", () => {
    const sink = new BufferedSink({ octets: MIN_BUFFER_OCTETS });
    for (let index = 0; index < 500; index += 1) {
      sink.write(fwLine("x".repeat((index * 37) % 900)));
      const held = sink.lines().reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
      assert.equal(held, sink.usedOctets);
      assert.ok(held <= MIN_BUFFER_OCTETS);
    }
  });

  it("cuts a line longer than the whole buffer to fit it", () => {
    const sink = new BufferedSink();
    sink.write(fwLine("é".repeat(5000)));
    const [line] = sink.lines();
    assert.ok(line !== undefined);
    assert.equal(Buffer.byteLength(line), 4094);
    assert.ok(sink.usedOctets <= 4096);
  });

  it("includes the timestamp prefix", () => {
    const sink = new BufferedSink();
    sink.write(fwLine("%FW-6-TEST: x", 6, "00:00:01: "));
    assert.deepEqual(sink.lines(), ["00:00:01: %FW-6-TEST: x"]);
  });

  it("filters by its own level", () => {
    const sink = new BufferedSink({ level: 4 });
    sink.write(fwLine("%FW-6-TEST: informational", 6));
    sink.write(fwLine("%FW-4-TEST: warning", 4));
    sink.write(fwLine("%FW-2-TEST: critical", 2));
    assert.deepEqual(sink.lines(), ["%FW-4-TEST: warning", "%FW-2-TEST: critical"]);
  });

  it("clear logging empties it", () => {
    const sink = new BufferedSink();
    sink.write(fwLine("%FW-6-TEST: x"));
    sink.clear();
    assert.deepEqual(sink.lines(), []);
    assert.equal(sink.usedOctets, 0);
  });

  it("refuses a size IOS would refuse", () => {
    assert.throws(() => new BufferedSink({ octets: 100 }));
  });
});
