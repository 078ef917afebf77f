import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { SessionEntry } from "../../../src/firewall/session-table.js";
import { debugFlagMessage, traceLines, wantsEvent } from "../../../src/exec/debug-trace.js";
import { TraceHub } from "../../../src/exec/trace-hub.js";
import type { InspectionEvent } from "../../../src/inspect/events.js";

const AT = Date.UTC(2026, 11, 3, 16, 49, 23, 123);

function session(protocol: SessionEntry["protocol"], id = "0A1B2C3D"): SessionEntry {
  return {
    id,
    initiator: { address: "192.0.2.7", port: 50312 },
    responder: { address: "172.22.1.110", port: 25 },
    protocol,
    ruleName: "OUT-IN",
    interfaceName: "Ethernet2/0",
    createdAt: AT,
    state: "SIS_OPEN",
    lastHeardAt: AT,
    initiatorBytes: 0,
    responderBytes: 0,
  };
}

const MAIL: InspectionEvent = {
  type: "trace-command",
  at: AT,
  index: 3,
  verb: "MAIL",
  parameters: "FROM:<a@b>",
  length: 15,
  action: "pass",
};
const REPLY: InspectionEvent = {
  type: "trace-reply",
  at: AT,
  code: 250,
  final: true,
  length: 8,
  answers: "MAIL",
};
const GREETING: InspectionEvent = { type: "greeting", at: AT, code: 220 };

describe("debug ip inspect lines", () => {
  it("traces a command, its end of line and a reply line in the source's manner", () => {
    const smtp = session("smtp");
    assert.deepEqual(traceLines(smtp, MAIL, 0), [
      "CBAC SMTP: sis 0A1B2C3D cmd 'MAIL' matched, parameters 'FROM:<a@b>' len:10",
      "CBAC SMTP: sis 0A1B2C3D End Of Command Line - index:3, len:15",
    ]);
    assert.deepEqual(traceLines(smtp, REPLY, 4), [
      "CBAC SMTP: sis 0A1B2C3D reply code 250 (final) answers MAIL",
      "CBAC SMTP: sis 0A1B2C3D End Of Reply Line - index:4, len:8",
    ]);
  });

  it("says a refused verb was masked, and keeps the operator's terminal safe", () => {
    const masked = { ...MAIL, verb: "EXPN", parameters: "", action: "mask" } as const;
    assert.equal(
      traceLines(session("smtp"), masked, 0)[0],
      "CBAC SMTP: sis 0A1B2C3D cmd 'EXPN' not allowed, line masked with X",
    );
    const hostile = { ...MAIL, parameters: `TO:<\x1b[2J${"x".repeat(200)}>` };
    const [line = ""] = traceLines(session("esmtp"), hostile, 0);
    assert.doesNotMatch(line, /\x1b/);
    assert.match(line, /^CBAC ESMTP: .*'TO:<\\x1B\[2Jx{69}…\(\+132\)' len:209$/u);
  });

  it("follows smtp or esmtp sessions by flag; detailed follows both and adds decisions", () => {
    const smtp = session("smtp");
    assert.equal(wantsEvent(new Set(["smtp"]), smtp, MAIL), true);
    assert.equal(wantsEvent(new Set(["esmtp"]), smtp, MAIL), false);
    assert.equal(wantsEvent(new Set(["smtp"]), smtp, GREETING), false);
    assert.equal(wantsEvent(new Set(["detailed"]), smtp, GREETING), true);
    assert.equal(wantsEvent(new Set(["detailed"]), session("tcp"), MAIL), false);
  });

  it("answers debug and undebug as the source shows", () => {
    assert.equal(debugFlagMessage("smtp", true), "INSPECT SMTP Inspection debugging is on");
    assert.equal(debugFlagMessage("esmtp", false), "INSPECT ESMTP Inspection debugging is off");
  });
});

describe("trace hub", () => {
  function hub(): { hub: TraceHub; switches: boolean[] } {
    const switches: boolean[] = [];
    const traceHub = new TraceHub({
      startedAt: AT - 1000,
      timestamps: { kind: "datetime", msec: true, localtime: false },
    });
    traceHub.bind((on) => switches.push(on));
    return { hub: traceHub, switches };
  }

  it("turns the gateway's trace on for the first console and off after the last", () => {
    const { hub: traceHub, switches } = hub();
    const first = traceHub.subscribe(() => undefined);
    const second = traceHub.subscribe(() => undefined);
    assert.equal(traceHub.tracing, false, "a console without flags costs nothing");
    traceHub.setFlag(first, "smtp", true);
    traceHub.setFlag(second, "esmtp", true);
    traceHub.setFlag(first, "smtp", false);
    assert.equal(traceHub.tracing, true);
    traceHub.unsubscribe(second);
    assert.equal(traceHub.tracing, false);
    assert.deepEqual(switches, [false, true, false]);
  });

  it("stamps each line, introduces a session once, numbers its reply lines", () => {
    const { hub: traceHub } = hub();
    const lines: string[] = [];
    traceHub.setFlag(
      traceHub.subscribe((line) => lines.push(line)),
      "smtp",
      true,
    );
    const smtp = session("smtp");
    traceHub.publish(smtp, REPLY);
    traceHub.publish(smtp, MAIL);
    traceHub.publish(smtp, REPLY);
    traceHub.publish(session("esmtp", "FFFFFFFF"), MAIL);
    assert.deepEqual(lines, [
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D (192.0.2.7:50312)=>(172.22.1.110:25) rule OUT-IN",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D reply code 250 (final) answers MAIL",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D End Of Reply Line - index:0, len:8",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D cmd 'MAIL' matched, parameters 'FROM:<a@b>' len:10",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D End Of Command Line - index:3, len:15",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D reply code 250 (final) answers MAIL",
      "Dec  3 16:49:23.123: CBAC SMTP: sis 0A1B2C3D End Of Reply Line - index:1, len:8",
    ]);
  });

  it("follows `service timestamps debug` as it changes", () => {
    const { hub: traceHub } = hub();
    const lines: string[] = [];
    traceHub.setFlag(
      traceHub.subscribe((line) => lines.push(line)),
      "detailed",
      true,
    );
    traceHub.timestamps = { kind: "uptime" };
    traceHub.publish(session("esmtp"), GREETING);
    assert.match(lines[1] ?? "", /^00:00:01: CBAC ESMTP: sis 0A1B2C3D greeting 220 passed/);
  });

  it("delivers nothing while no console asks, even if events still come", () => {
    const { hub: traceHub } = hub();
    const lines: string[] = [];
    traceHub.subscribe((line) => lines.push(line));
    traceHub.publish(session("smtp"), MAIL);
    assert.deepEqual(lines, []);
  });
});
