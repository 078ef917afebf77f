import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { SessionEntry, SessionState } from "../../../src/firewall/session-table.js";
import { CreationRateSampler } from "../../../src/exec/creation-rate.js";
import { showInspectSessions, showInspectStatistics } from "../../../src/exec/show-sessions.js";

const NOW = Date.UTC(2026, 11, 3, 16, 49, 23);

function entry(id: string, state: SessionState, createdAgoMs: number, port: number): SessionEntry {
  return {
    id,
    initiator: { address: "192.0.2.7", port },
    responder: { address: "172.22.1.110", port: 25 },
    protocol: "smtp",
    ruleName: "OUT-IN",
    interfaceName: "Ethernet2/0",
    createdAt: NOW - createdAgoMs,
    state,
    lastHeardAt: NOW - 3_000,
    initiatorBytes: 38,
    responderBytes: 70,
  };
}

const ENTRIES = [
  entry("0000BEEF", "SIS_CLOSING", 5_000, 3003),
  entry("66F96EB0", "SIS_OPEN", 42_000, 1053),
  entry("671D778C", "SIS_OPENING", 1_000, 2002),
  entry("12345678", "SIS_OPEN", 90_061_000, 1054),
];

describe("show ip inspect sessions", () => {
  it("lists established, half-open and terminating sessions, oldest first", () => {
    assert.equal(
      showInspectSessions(ENTRIES, NOW, false),
      [
        "Established Sessions",
        " Session 12345678 (192.0.2.7:1054)=>(172.22.1.110:25) smtp SIS_OPEN",
        " Session 66F96EB0 (192.0.2.7:1053)=>(172.22.1.110:25) smtp SIS_OPEN",
        "Half-open Sessions",
        " Session 671D778C (192.0.2.7:2002)=>(172.22.1.110:25) smtp SIS_OPENING",
        "Terminating Sessions",
        " Session 0000BEEF (192.0.2.7:3003)=>(172.22.1.110:25) smtp SIS_CLOSING",
        "",
      ].join("\n"),
    );
  });

  it("detail: creation, last heard and bytes each way", () => {
    const [, open] = ENTRIES;
    assert.equal(
      showInspectSessions(open === undefined ? [] : [open], NOW, true),
      [
        "Established Sessions",
        " Session 66F96EB0 (192.0.2.7:1053)=>(172.22.1.110:25) smtp SIS_OPEN",
        "  Created 00:00:42, Last heard 00:00:03",
        "  Bytes sent (initiator:responder) [38:70]",
        "",
      ].join("\n"),
    );
  });

  it("prints an age past a day as IOS does", () => {
    const text = showInspectSessions(ENTRIES.slice(3), NOW, true);
    assert.match(text, /\n {2}Created 1d01h, Last heard 00:00:03\n/);
  });

  it("prints nothing without sessions", () => {
    assert.equal(showInspectSessions([], NOW, true), "");
  });
});

describe("show ip inspect statistics", () => {
  it("prints the counters and the one-minute rates", () => {
    const rates = new CreationRateSampler(10);
    rates.sample(17, 2);
    rates.sample(20, 0);
    const text = showInspectStatistics({
      interfaces: 2,
      counts: {
        created: 39,
        current: { SIS_OPEN: 3, SIS_OPENING: 0, SIS_CLOSING: 0 },
        maxEver: { SIS_OPEN: 3, SIS_OPENING: 4, SIS_CLOSING: 1 },
        lastCreatedAt: NOW - 20_000,
      },
      rates: rates.rates,
      now: NOW,
    });
    assert.equal(
      text,
      [
        "Interfaces configured for inspection 2",
        "Session creations since subsystem startup or last reset 39",
        "Current session counts (estab/half-open/terminating) [3:0:0]",
        "Maxever session counts (estab/half-open/terminating) [3:4:1]",
        "Last session created 00:00:20",
        "Last statistic reset never",
        "Last session creation rate 3",
        "Maxever session creation rate 7",
        "Last half-open session total 0",
        "",
      ].join("\n"),
    );
  });

  it("says never before the first session", () => {
    const text = showInspectStatistics({
      interfaces: 0,
      counts: {
        created: 0,
        current: { SIS_OPEN: 0, SIS_OPENING: 0, SIS_CLOSING: 0 },
        maxEver: { SIS_OPEN: 0, SIS_OPENING: 0, SIS_CLOSING: 0 },
        lastCreatedAt: undefined,
      },
      rates: new CreationRateSampler().rates,
      now: NOW,
    });
    assert.match(text, /\nLast session created never\n/);
  });
});
