import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  smtpCommandRefused,
  smtpTlsStarted,
  accessListLog,
  alertOff,
  alertOn,
  blockHost,
  CATALOGUE,
  describeAnomaly,
  formatFwMessage,
  hostTcpAlertOn,
  notApplicable,
  serverUnreachable,
  sessAuditTrail,
  sessAuditTrailStart,
  smtpAnomaly,
  smtpInvalidCommand,
  smtpLineOverflow,
  smtpMaxDataExceeded,
  smtpSmuggling,
  unblockHost,
} from "../../../src/log/catalogue.js";

const telnetClient = { address: "13.13.2.2", port: 39349 };
const telnetServer = { address: "13.13.5.5", port: 23 };
const client = { address: "192.168.12.3", port: 52419 };
const server = { address: "10.10.10.2", port: 25 };

describe("Cisco messages, as REFERENCE.md section 4 prints them", () => {
  it("SESS_AUDIT_TRAIL_START", () => {
    const message = sessAuditTrailStart({
      protocol: "tcp",
      initiator: telnetClient,
      responder: telnetServer,
    });
    assert.equal(
      formatFwMessage(message),
      "%FW-6-SESS_AUDIT_TRAIL_START: Start tcp session: initiator (13.13.2.2:39349) -- responder (13.13.5.5:23)",
    );
  });

  it("SESS_AUDIT_TRAIL, the 12.3+ form", () => {
    const message = sessAuditTrail({
      protocol: "tcp",
      initiator: telnetClient,
      initiatorBytes: 24,
      responder: telnetServer,
      responderBytes: 208,
    });
    assert.equal(
      formatFwMessage(message),
      "%FW-6-SESS_AUDIT_TRAIL: Stop tcp session: initiator (13.13.2.2:39349) sent 24 bytes -- responder (13.13.5.5:23) sent 208 bytes",
    );
  });

  it("ALERT_ON and ALERT_OFF", () => {
    assert.equal(
      formatFwMessage(alertOn({ count: 550, high: 500, rate: 250 })),
      "%FW-4-ALERT_ON: getting aggressive, count (550/500) current 1-min rate: 250",
    );
    assert.equal(
      formatFwMessage(alertOff({ count: 0, low: 400, rate: 0 })),
      "%FW-4-ALERT_OFF: calming down, count (0/400) current 1-min rate: 0",
    );
  });

  it("HOST_TCP_ALERT_ON, BLOCK_HOST and UNBLOCK_HOST", () => {
    assert.equal(
      formatFwMessage(hostTcpAlertOn({ limit: 50, host: "10.0.0.5" })),
      "%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (50) exceeded for host 10.0.0.5.",
    );
    assert.equal(
      formatFwMessage(blockHost({ host: "10.0.0.5", minutes: 2, limit: 50 })),
      "%FW-2-BLOCK_HOST: Blocking new TCP connections to host 10.0.0.5 for 2 minutes (half-open count 50 exceeded).",
    );
    assert.equal(
      formatFwMessage(unblockHost({ host: "10.0.0.5" })),
      "%FW-4-UNBLOCK_HOST: New TCP connections to host 10.0.0.5 no longer blocked",
    );
  });

  it("BLOCK_HOST says minute for one minute", () => {
    assert.match(
      formatFwMessage(blockHost({ host: "10.0.0.5", minutes: 1, limit: 50 })),
      / for 1 minute \(half-open/,
    );
  });

  it("SMTP_INVALID_COMMAND, the base form", () => {
    assert.equal(
      formatFwMessage(smtpInvalidCommand({ initiator: client })),
      "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.168.12.3:52419)",
    );
  });

  it("SMTP_INVALID_COMMAND with the later variant's detail", () => {
    const message = smtpInvalidCommand({
      initiator: client,
      command: { verb: "EXPN", length: 10 },
    });
    assert.equal(
      formatFwMessage(message),
      "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command (EXPN) (10 total chars) from initiator (192.168.12.3:52419)",
    );
  });

  it("the access-list log, under SEC", () => {
    const message = accessListLog({
      list: "101",
      action: "denied",
      initiator: { address: "172.22.1.50", port: 40000 },
      responder: { address: "172.22.1.110", port: 25 },
    });
    assert.equal(
      formatFwMessage(message),
      "%SEC-6-IPACCESSLOGP: list 101 denied tcp 172.22.1.50(40000) -> 172.22.1.110(25), 1 packet",
    );
  });

  it("the access-list log counts packets in the plural", () => {
    const message = accessListLog({
      list: "OUTSIDE",
      action: "permitted",
      initiator: { address: "172.22.1.50", port: 40000 },
      responder: { address: "172.22.1.110", port: 25 },
      packets: 3,
    });
    assert.match(formatFwMessage(message), /list OUTSIDE permitted tcp .*, 3 packets$/);
  });
});

describe("messages of our own naming", () => {
  it("SMTP_MAX_DATA_EXCEEDED", () => {
    const message = smtpMaxDataExceeded({ limit: 20000000, initiator: client, responder: server });
    assert.equal(
      formatFwMessage(message),
      "%FW-4-SMTP_MAX_DATA_EXCEEDED: Maximum data length (20000000) exceeded for SMTP session initiator (192.168.12.3:52419) -- responder (10.10.10.2:25), session reset",
    );
  });

  it("SMTP_SMUGGLING", () => {
    assert.equal(
      formatFwMessage(smtpSmuggling({ variant: "LF.LF", initiator: client })),
      "%FW-4-SMTP_SMUGGLING: End-of-data look-alike (LF.LF) in message content from initiator (192.168.12.3:52419), session reset",
    );
  });

  it("SMTP_LINE_OVERFLOW", () => {
    assert.equal(
      formatFwMessage(smtpLineOverflow({ octets: 2048, initiator: client })),
      "%FW-4-SMTP_LINE_OVERFLOW: Command line of 2048 octets over the limit from initiator (192.168.12.3:52419)",
    );
  });

  it("SERVER_UNREACHABLE", () => {
    const message = serverUnreachable({
      responder: server,
      initiator: client,
      reason: "ECONNREFUSED",
    });
    assert.equal(
      formatFwMessage(message),
      "%FW-4-SERVER_UNREACHABLE: Cannot reach responder (10.10.10.2:25) for initiator (192.168.12.3:52419): ECONNREFUSED",
    );
  });

  it("SMTP_COMMAND_REFUSED and SMTP_TLS_STARTED", () => {
    assert.equal(
      formatFwMessage(
        smtpCommandRefused({ verb: "RCPT", reason: "bad-sequence", initiator: client }),
      ),
      `%FW-4-SMTP_COMMAND_REFUSED: Command (RCPT) refused (bad-sequence) from initiator (${client.address}:${client.port})`,
    );
    assert.match(
      formatFwMessage(smtpTlsStarted({ initiator: client, responder: server })),
      /^%FW-6-SMTP_TLS_STARTED: TLS started on SMTP session initiator \(.+\) -- responder \(.+\), inspection stops$/,
    );
  });

  it("SMTP_ANOMALY", () => {
    const message = smtpAnomaly({
      description: describeAnomaly("bare-lf-in-command"),
      initiator: client,
    });
    assert.equal(
      formatFwMessage(message),
      "%FW-6-SMTP_ANOMALY: Bare LF in command line in SMTP session from initiator (192.168.12.3:52419)",
    );
  });

  it("NOT_APPLICABLE, under SYS", () => {
    assert.equal(
      formatFwMessage(notApplicable({ line: 12, text: " voice-port 1/0/0" })),
      "%SYS-6-NOT_APPLICABLE: Configuration line 12 not applicable to a gateway: voice-port 1/0/0",
    );
  });
});

describe("arguments from outside", () => {
  it("never quote a credential from a configuration line", () => {
    const text = formatFwMessage(
      notApplicable({ line: 3, text: "username admin password 0 hunter2" }),
    );
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /username admin password <removed>$/);
  });

  it("cannot forge a second line", () => {
    const text = formatFwMessage(
      smtpAnomaly({ description: "x\r\n%FW-2-BLOCK_HOST: fake", initiator: client }),
    );
    assert.doesNotMatch(text, /[\r\n]/);
    assert.match(text, /^%FW-6-SMTP_ANOMALY: x\\x0D\\x0A%FW-2-BLOCK_HOST: fake in SMTP/);
  });

  it("are cut with their length", () => {
    const text = formatFwMessage(
      serverUnreachable({ responder: server, initiator: client, reason: "r".repeat(100) }),
    );
    assert.ok(text.endsWith(`: ${"r".repeat(80)}…(+20)`));
  });

  it("print an IPv4-mapped IPv6 peer as IPv4", () => {
    const text = formatFwMessage(
      smtpInvalidCommand({ initiator: { address: "::ffff:127.22.1.9", port: 4000 } }),
    );
    assert.match(text, /initiator \(127\.22\.1\.9:4000\)$/);
  });
});

describe("the catalogue list", () => {
  it("names every message once, with its severity and origin", () => {
    const names = CATALOGUE.map((entry) => `${entry.facility}-${entry.mnemonic}`);
    assert.equal(new Set(names).size, names.length);
    assert.equal(CATALOGUE.length, 20);
  });

  it("marks exactly the messages of our own naming as non-Cisco", () => {
    const ours = CATALOGUE.filter((entry) => !entry.cisco).map((entry) => entry.mnemonic);
    assert.deepEqual(ours.sort(), [
      "NOT_APPLICABLE",
      "SERVER_UNREACHABLE",
      "SMTP_ANOMALY",
      "SMTP_COMMAND_REFUSED",
      "SMTP_LINE_OVERFLOW",
      "SMTP_MAX_DATA_EXCEEDED",
      "SMTP_SMUGGLING",
      "SMTP_TLS_STARTED",
      "STATE_STORE_DOWN",
      "STATE_STORE_UP",
      "XCLIENT_REFUSED",
    ]);
  });

  it("agrees with what each message builder produces", () => {
    const built = [
      alertOn({ count: 1, high: 2, rate: 3 }),
      blockHost({ host: "10.0.0.5", minutes: 2, limit: 50 }),
      notApplicable({ line: 1, text: "ip cef" }),
      accessListLog({ list: "1", action: "denied", initiator: client, responder: server }),
    ];
    for (const message of built) {
      const entry = CATALOGUE.find((candidate) => candidate.mnemonic === message.mnemonic);
      assert.ok(entry);
      assert.equal(entry.severity, message.severity);
      assert.equal(entry.facility, message.facility);
    }
  });
});
