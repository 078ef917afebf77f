import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  HalfOpenGuard,
  type ThresholdSettings,
  UNLIMITED_THRESHOLDS,
} from "../../../src/firewall/half-open-guard.js";
import { MemoryThresholdStore } from "../../../src/firewall/threshold-store.js";
import { formatFwMessage } from "../../../src/log/catalogue.js";

function guardWith(settings: Partial<ThresholdSettings>): { guard: HalfOpenGuard; logs: string[] } {
  const logs: string[] = [];
  const guard = new HalfOpenGuard(
    { ...UNLIMITED_THRESHOLDS, ...settings },
    { store: new MemoryThresholdStore(60_000), log: (m) => logs.push(formatFwMessage(m)) },
  );
  return { guard, logs };
}

let next = 0;
const session = (host = "10.0.0.5", source = "192.0.2.1") => ({
  id: `S${String(next++)}`,
  host,
  source,
});

describe("max-incomplete", () => {
  it("turns aggressive above high, deletes the oldest, and calms down below low", () => {
    const { guard, logs } = guardWith({ maxIncomplete: { high: 20, low: 10 } });
    const admitted = [];
    for (let n = 0; n < 20; n++) {
      const s = session();
      assert.deepEqual(guard.admit(s, 1000), { kind: "admit", evict: [] });
      admitted.push(s.id);
    }
    assert.deepEqual(logs, []);
    const outcome = guard.admit(session(), 1000);
    assert.deepEqual(outcome, { kind: "admit", evict: [admitted[0]] });
    assert.deepEqual(logs, [
      "%FW-4-ALERT_ON: getting aggressive, count (21/20) current 1-min rate: 21",
    ]);
    assert.equal(guard.statistics(1000).halfOpen, 20);

    // Still aggressive: each new one deletes the oldest, and no second ALERT_ON.
    assert.deepEqual(guard.admit(session(), 1000).evict, [admitted[1]]);
    assert.equal(logs.length, 1);

    // Half-open sessions establish until fewer than low remain.
    for (const id of admitted.slice(2, 12)) guard.established(id, 2000);
    assert.equal(logs.length, 1, "10 half-open is not below low 10");
    guard.established(admitted[12] ?? "", 2000);
    assert.equal(logs.length, 2);
    assert.equal(logs[1], "%FW-4-ALERT_OFF: calming down, count (9/10) current 1-min rate: 22");
    assert.deepEqual(guard.admit(session(), 2000).evict, []);
  });
});

describe("one-minute", () => {
  it("counts new sessions in a sliding minute, exact to the second", () => {
    const { guard, logs } = guardWith({ oneMinute: { high: 5, low: 3 } });
    for (let n = 0; n < 5; n++) {
      const s = session();
      guard.admit(s, n * 1000);
      guard.established(s.id, n * 1000);
    }
    assert.equal(guard.statistics(4000).oneMinuteRate, 5);
    guard.admit(session(), 5000);
    assert.match(logs[0] ?? "", /^%FW-4-ALERT_ON: getting aggressive, count \(6\/5\)/);
    // One second before the first one leaves the window, the rate is still 6.
    assert.equal(guard.statistics(59_999).oneMinuteRate, 6);
    assert.equal(guard.statistics(60_000).oneMinuteRate, 5);
    guard.tick(62_000);
    assert.equal(logs.length, 1, "rate 3 is not below low 3");
    guard.tick(63_000);
    assert.equal(logs[1], "%FW-4-ALERT_OFF: calming down, count (2/3) current 1-min rate: 2");
  });
});

describe("per-host limit", () => {
  it("with block-time 0 deletes the host's oldest half-open session for each new one", () => {
    const { guard, logs } = guardWith({ hostMaxIncomplete: 5 });
    const ids = Array.from({ length: 5 }, () => {
      const s = session("10.0.0.5");
      guard.admit(s, 0);
      return s.id;
    });
    assert.deepEqual(guard.admit(session("10.0.0.5"), 0).evict, [ids[0]]);
    assert.deepEqual(guard.admit(session("10.0.0.5"), 0).evict, [ids[1]]);
    assert.deepEqual(guard.admit(session("10.0.0.6"), 0).evict, []);
    assert.deepEqual(logs, [
      "%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (5) exceeded for host 10.0.0.5.",
    ]);
  });

  it("with block-time M deletes all and refuses the host for M minutes", () => {
    const { guard, logs } = guardWith({ hostMaxIncomplete: 3, hostBlockMinutes: 2 });
    const ids = Array.from({ length: 3 }, () => {
      const s = session("10.0.0.7");
      guard.admit(s, 0);
      return s.id;
    });
    const outcome = guard.admit(session("10.0.0.7"), 1000);
    assert.deepEqual(outcome, { kind: "refuse", reason: "host-blocked", evict: ids });
    assert.deepEqual(logs, [
      "%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (3) exceeded for host 10.0.0.7.",
      "%FW-2-BLOCK_HOST: Blocking new TCP connections to host 10.0.0.7 for 2 minutes (half-open count 3 exceeded).",
    ]);
    assert.equal(guard.admit(session("10.0.0.7"), 120_999).kind, "refuse");
    assert.equal(guard.admit(session("10.0.0.8"), 2000).kind, "admit");
    assert.equal(guard.admit(session("10.0.0.7"), 121_000).kind, "admit");
    assert.equal(
      logs[2],
      "%FW-4-UNBLOCK_HOST: New TCP connections to host 10.0.0.7 no longer blocked",
    );
  });
});

describe("per-source limits (ours, off by default)", () => {
  it("refuses a source past its concurrent sessions, and admits it again when one closes", () => {
    const { guard } = guardWith({ sourceMaxSessions: 2 });
    const a = session("10.0.0.5", "198.51.100.7");
    const b = session("10.0.0.5", "198.51.100.7");
    guard.admit(a, 0);
    guard.admit(b, 0);
    assert.deepEqual(guard.admit(session("10.0.0.5", "198.51.100.7"), 0), {
      kind: "refuse",
      reason: "source-sessions",
      evict: [],
    });
    assert.equal(guard.admit(session("10.0.0.5", "198.51.100.8"), 0).kind, "admit");
    guard.closed(a.id, 0);
    assert.equal(guard.admit(session("10.0.0.5", "198.51.100.7"), 0).kind, "admit");
  });

  it("refuses a source past its new sessions per minute", () => {
    const { guard } = guardWith({ sourceOneMinute: 3 });
    for (let n = 0; n < 3; n++) assert.equal(guard.admit(session("h", "s"), n).kind, "admit");
    assert.equal(guard.admit(session("h", "s"), 10).kind, "refuse");
    assert.equal(guard.admit(session("h", "s"), 60_000).kind, "admit");
  });

  it("changes nothing when off", () => {
    const { guard, logs } = guardWith({});
    for (let n = 0; n < 1000; n++) assert.equal(guard.admit(session(), 0).kind, "admit");
    assert.deepEqual(logs, []);
  });
});
