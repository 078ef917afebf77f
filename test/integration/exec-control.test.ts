import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import nodemailer from "nodemailer";

import { renderRunningConfig } from "../../src/config/render.js";
import { ControlClient } from "../../src/exec/control-client.js";
import { eventually } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";
import { startExecFixture, type ExecFixture } from "./exec-fixture.js";

async function sendMail(fixture: ExecFixture, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: fixture.mail.address,
    port: fixture.mail.port,
    secure: false,
    ignoreTLS: true,
    pool: false,
  });
  try {
    await transport.sendMail({
      envelope: { from: "a@example.org", to: ["b@example.org"] },
      raw: `Subject: ${subject}\r\nFrom: a@example.org\r\n\r\nhello\r\n`,
    });
  } finally {
    transport.close();
  }
}

function entryOf(fixture: ExecFixture, client: RawClient) {
  return fixture.running.gateway.table
    .list()
    .find((entry) => entry.initiator.port === client.socket.localPort);
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length;
}

describe("control socket", () => {
  let fixture: ExecFixture;
  const clients: RawClient[] = [];
  before(async () => {
    fixture = await startExecFixture();
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await fixture.stop();
  });

  it("is a socket only its owner may use (mode 0600)", async () => {
    const found = await stat(fixture.controlPath);
    assert.ok(found.isSocket());
    assert.equal(found.mode & 0o777, 0o600);
  });

  it("answers a refused command with IOS's error and a rejected status", async () => {
    const [typo, short, ok] = await fixture.exec("show ip inspct all", "show ip", "sh ver");
    assert.deepEqual(typo, {
      type: "reply",
      status: "rejected",
      text: "show ip inspct all\n        ^\n% Invalid input detected at '^' marker.\n\n",
      prompt: "gw-test#",
      streaming: false,
    });
    assert.equal(short?.status, "rejected");
    assert.equal(short.text, "% Incomplete command.\n\n");
    assert.equal(ok?.status, "ok");
  });

  it("debug ip inspect esmtp traces a real client's mail until undebug all", async () => {
    const client = await ControlClient.connect(fixture.controlPath);
    const lines: string[] = [];
    client.onLine((line) => lines.push(line));
    try {
      const on = await client.request("debug ip inspect esmtp");
      assert.deepEqual(
        [on.text, on.streaming],
        ["INSPECT ESMTP Inspection debugging is on\n", true],
      );
      assert.equal(fixture.running.trace.tracing, true);

      await sendMail(fixture, "traced");
      await eventually(() => lines.some((line) => / answers message$/.test(line)));
      const stamp = String.raw`^\w{3} [ \d]\d \d{2}:\d{2}:\d{2}\.\d{3}: CBAC ESMTP: sis [0-9A-F]{8}`;
      const expected = [
        String.raw` \(127\.0\.0\.1:\d+\)=>\(127\.22\.9\.110:\d+\) rule OUT-IN$`,
        String.raw` reply code 220 \(final\) answers greeting$`,
        String.raw` End Of Reply Line - index:0, len:\d+$`,
        String.raw` cmd 'EHLO' matched, parameters '[^']+' len:\d+$`,
        String.raw` cmd 'MAIL' matched, parameters 'FROM:<a@example\.org>[^']*' len:\d+$`,
        String.raw` End Of Command Line - index:\d+, len:\d+$`,
        String.raw` cmd 'RCPT' matched, parameters 'TO:<b@example\.org>[^']*' len:\d+$`,
        String.raw` reply code 354 \(final\) answers DATA$`,
        String.raw` message content begins$`,
        String.raw` End Of Message - len:\d+$`,
        String.raw` reply code 250 \(final\) answers message$`,
      ];
      for (const pattern of expected) {
        const regex = new RegExp(stamp + pattern);
        assert.ok(
          lines.some((line) => regex.test(line)),
          `no line like ${pattern}`,
        );
      }

      const off = await client.request("undebug all");
      assert.deepEqual(
        [off.text, off.streaming],
        ["All possible debugging has been turned off\n", false],
      );
      assert.equal(fixture.running.trace.tracing, false);
      const seen = lines.length;
      await sendMail(fixture, "not traced");
      assert.equal(lines.length, seen);
    } finally {
      client.destroy();
    }
  });

  it("turns the trace off when the last debugging console hangs up", async () => {
    const client = await ControlClient.connect(fixture.controlPath);
    await client.request("debug ip inspect smtp");
    assert.equal(fixture.running.trace.tracing, true);
    client.destroy();
    await eventually(() => !fixture.running.trace.tracing);
  });

  it("clear ip inspect session resets both sides and writes the audit trail", async () => {
    const [configure] = await fixture.exec("configure terminal", "ip inspect audit-trail", "end");
    assert.equal(
      configure?.text,
      "Enter configuration commands, one per line.  End with CNTL/Z.\n",
    );
    const client = await RawClient.connect(fixture.mail.port, fixture.mail.address);
    clients.push(client);
    await client.waitFor(/^220 /);
    const entry = entryOf(fixture, client);
    assert.ok(entry !== undefined);

    const port = client.socket.localPort ?? 0;
    const [cleared, again] = await fixture.exec(
      `clear ip inspect session ${entry.id.toLowerCase()}`,
      `clear ip inspect session ${entry.id}`,
    );
    assert.deepEqual([cleared?.status, cleared?.text], ["ok", ""]);
    assert.deepEqual(await client.closed, { reset: true });
    assert.deepEqual(
      [again?.status, again?.text],
      ["rejected", `% No inspection session ${entry.id}\n`],
    );
    await eventually(() =>
      fixture.consoleLog.some((line) =>
        new RegExp(`%FW-6-SESS_AUDIT_TRAIL: .*initiator \\(127\\.0\\.0\\.1:${port}\\)`).test(line),
      ),
    );
  });

  it("regression: clearing a terminating session closes its sockets (reset after FIN)", async () => {
    const before = tcpHandles();
    const client = await RawClient.connect(fixture.quiet.port, fixture.quiet.address);
    await eventually(() => entryOf(fixture, client) !== undefined);
    client.end();
    await eventually(() => entryOf(fixture, client)?.state === "SIS_CLOSING");
    const entry = entryOf(fixture, client);
    assert.ok(entry !== undefined);
    await fixture.exec(`clear ip inspect session ${entry.id}`);
    client.destroy();
    // Left: the silent test server's own socket, which never closes its side. Before the fix,
    // the gateway's upstream socket stayed too (Node 20 leaks a handle reset after end()).
    await eventually(() => tcpHandles() <= before + 1);
  });
});

describe("configure terminal over the control socket", () => {
  let fixture: ExecFixture;
  const clients: RawClient[] = [];
  beforeEach(async () => {
    fixture = await startExecFixture();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await fixture.stop();
  });

  it("esmtp becomes smtp for the next session; the running one keeps esmtp", async () => {
    const running = await RawClient.connect(fixture.mail.port, fixture.mail.address);
    clients.push(running);
    await running.waitFor(/^220 /);

    const replies = await fixture.exec(
      "configure terminal",
      "no ip inspect name OUT-IN esmtp",
      "ip inspect name OUT-IN smtp",
      "end",
      "show ip inspect name OUT-IN",
    );
    assert.deepEqual(
      replies.map((reply) => reply.status),
      ["ok", "ok", "ok", "ok", "ok"],
    );
    assert.equal(
      replies[4]?.text,
      " Inspection name OUT-IN\n    smtp max-data 20000000 alert is on audit-trail is off timeout 3600\n",
    );

    // The new session is inspected as smtp: EHLO is masked and the server refuses it.
    const next = await RawClient.connect(fixture.mail.port, fixture.mail.address);
    clients.push(next);
    await next.waitFor(/^220 /);
    next.write("EHLO next.example\r\n");
    await next.waitFor(/\r\n5\d\d /);
    // The running session keeps its esmtp rule: EHLO passes.
    running.write("EHLO running.example\r\n");
    await running.waitFor(/\r\n250[ -]/);

    const protocols = fixture.running.gateway.table.list().map((entry) => entry.protocol);
    assert.deepEqual(protocols.sort(), ["esmtp", "smtp"]);
    const [config] = await fixture.exec("show running-config");
    assert.match(config?.text ?? "", /\nip inspect name OUT-IN smtp\n/);
    assert.doesNotMatch(config?.text ?? "", /esmtp/);
  });

  it("refuses an invalid line, changes nothing, and write memory saves the file", async () => {
    const replies = await fixture.exec(
      "conf t",
      "ip inspect name OUT-IN esmtp max-data 0",
      "ip inspect name OUT-IN esmtp max-data 100000",
    );
    assert.equal(replies[1]?.status, "rejected");
    assert.equal(
      replies[1].text,
      `ip inspect name OUT-IN esmtp max-data 0\n${" ".repeat(38)}^\n` +
        "% max-data 0 is out of range 1-2147483647.\n",
    );
    assert.equal(replies[2]?.status, "ok");

    const [saved] = await fixture.exec("write memory");
    assert.deepEqual([saved?.status, saved?.text], ["ok", "Building configuration...\n[OK]\n"]);
    const written = await readFile(fixture.configPath, "utf8");
    assert.equal(written, renderRunningConfig(fixture.consoles.runtime.model));
    assert.match(written, /\nip inspect name OUT-IN esmtp max-data 100000\n/);
    assert.equal((await stat(fixture.configPath)).mode & 0o777, 0o600);
  });
});
