import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  createDiagnostics,
  diagnosticsLevelFromEnv,
  sessionDiagnostics,
} from "../../../src/log/diagnostics.js";

describe("diagnostics", () => {
  it("are silent unless SMTPGUARD_DEBUG says otherwise", () => {
    assert.equal(diagnosticsLevelFromEnv(undefined), "silent");
    assert.equal(diagnosticsLevelFromEnv(""), "silent");
    assert.equal(diagnosticsLevelFromEnv("1"), "debug");
    assert.equal(diagnosticsLevelFromEnv("TRACE"), "trace");
  });

  it("refuse a level pino does not know", () => {
    assert.throws(() => diagnosticsLevelFromEnv("loud"), { code: "SMTPGUARD_ERR_USAGE" });
  });

  it("give each session a child that carries its fields", () => {
    const written: string[] = [];
    const root = createDiagnostics("debug", { write: (line: string) => written.push(line) });
    const child = sessionDiagnostics(root, {
      sid: "0A1B2C3D",
      initiator: "127.22.1.9:4000",
      responder: "127.10.10.2:25",
    });

    child.debug({ octets: 12 }, "line framed");
    root.trace("below the level");

    assert.equal(written.length, 1);
    const record = JSON.parse(written[0]!) as Record<string, unknown>;
    assert.equal(record.name, "smtpguard");
    assert.equal(record.sid, "0A1B2C3D");
    assert.equal(record.initiator, "127.22.1.9:4000");
    assert.equal(record.responder, "127.10.10.2:25");
    assert.equal(record.octets, 12);
    assert.equal(record.msg, "line framed");
  });

  it("write nothing when silent", () => {
    const written: string[] = [];
    const root = createDiagnostics("silent", { write: (line: string) => written.push(line) });
    root.fatal("not shown");
    assert.deepEqual(written, []);
  });
});
