import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import type { SessionEntry, SessionState } from "../../src/firewall/session-table.js";
import { renderRunningConfig } from "../../src/config/render.js";
import { eventually } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";
import { startExecFixture, type ExecFixture } from "./exec-fixture.js";

const packageVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

const RULE_LINE = "    esmtp max-data 20000000 alert is on audit-trail is off timeout 3600";

const CONFIG = [
  "Session audit trail is disabled",
  "Session alert is enabled",
  "one-minute (sampling period) thresholds are [400:500] connections",
  "max-incomplete sessions thresholds are [400:500]",
  "max-incomplete tcp connections per host is 50. Block-time 0 minute.",
  "tcp synwait-time is 30 sec -- tcp finwait-time is 5 sec",
  "tcp idle-time is 3600 sec -- udp idle-time is 30 sec",
  "dns-timeout is 5 sec",
  "Inspection Rule Configuration",
  " Inspection name OUT-IN",
  RULE_LINE,
  "",
].join("\n");

const INTERFACES = [
  "Interface Configuration",
  " Interface Ethernet2/0",
  "  Inbound inspection rule is OUT-IN",
  RULE_LINE,
  "  Outgoing inspection rule is not set",
  "  Inbound access list is 101",
  "  Outgoing access list is not set",
  "",
].join("\n");

describe("show commands on a running gateway with live sessions", () => {
  let fixture: ExecFixture;
  const clients: RawClient[] = [];
  const held = new Map<SessionState, { client: RawClient; entry: SessionEntry }>();

  function entryOf(client: RawClient): SessionEntry | undefined {
    return fixture.running.gateway.table
      .list()
      .find((entry) => entry.initiator.port === client.socket.localPort);
  }

  async function hold(state: SessionState, connect: () => Promise<RawClient>): Promise<void> {
    const client = await connect();
    clients.push(client);
    await eventually(() => entryOf(client)?.state === state);
    const entry = entryOf(client);
    assert.ok(entry !== undefined);
    held.set(state, { client, entry });
  }

  function sessionLine(state: SessionState): string {
    const session = held.get(state);
    assert.ok(session !== undefined);
    const { entry, client } = session;
    return (
      ` Session ${entry.id} (${client.socket.localAddress ?? ""}:${client.socket.localPort ?? 0})` +
      `=>(${entry.responder.address}:${entry.responder.port}) esmtp ${state}`
    );
  }

  before(async () => {
    fixture = await startExecFixture();
    const { mail, quiet } = fixture;

    // Established: the mail server's greeting has reached the client.
    await hold("SIS_OPEN", async () => {
      const client = await RawClient.connect(mail.port, mail.address);
      await client.waitFor(/^220 .*\r\n/);
      return client;
    });
    // Half-open: a server that never greets.
    await hold("SIS_OPENING", () => RawClient.connect(quiet.port, quiet.address));
    // Terminating: the client has closed its side, the silent server has not (finwait 5 s).
    await hold("SIS_CLOSING", async () => {
      const client = await RawClient.connect(quiet.port, quiet.address);
      await eventually(() => entryOf(client) !== undefined);
      client.end();
      return client;
    });
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await fixture.stop();
  });

  it("show ip inspect sessions: one section per state", async () => {
    const [reply] = await fixture.exec("show ip inspect sessions");
    assert.equal(reply?.status, "ok");
    assert.equal(
      reply.text,
      [
        "Established Sessions",
        sessionLine("SIS_OPEN"),
        "Half-open Sessions",
        sessionLine("SIS_OPENING"),
        "Terminating Sessions",
        sessionLine("SIS_CLOSING"),
        "",
      ].join("\n"),
    );
  });

  it("show ip inspect sessions detail: times and the bytes each way", async () => {
    const [reply] = await fixture.exec("sh ip insp sess det");
    const open = held.get("SIS_OPEN");
    assert.ok(open !== undefined);
    const greeting = Buffer.byteLength(open.client.text, "latin1");
    const lines = reply?.text.split("\n") ?? [];
    assert.deepEqual(lines.slice(0, 2), ["Established Sessions", sessionLine("SIS_OPEN")]);
    assert.match(lines[2] ?? "", /^ {2}Created 00:00:0\d, Last heard 00:00:0\d$/);
    assert.equal(lines[3], `  Bytes sent (initiator:responder) [0:${greeting}]`);
    assert.equal(lines[4], "Half-open Sessions");
    assert.equal(lines.length, 3 + 3 * 3 + 1);
  });

  it("show ip inspect all: configuration, interfaces, then the sessions", async () => {
    const [all, sessions] = await fixture.exec("show ip inspect all", "show ip inspect sessions");
    assert.equal(all?.text, `${CONFIG}\n${INTERFACES}${sessions?.text ?? ""}`);
  });

  it("show ip inspect config, interfaces and name", async () => {
    const replies = await fixture.exec(
      "show ip inspect config",
      "show ip inspect interfaces",
      "show ip inspect name OUT-IN",
      "show ip inspect name NOPE",
    );
    assert.deepEqual(
      replies.map((reply) => reply.text),
      [CONFIG, INTERFACES, ` Inspection name OUT-IN\n${RULE_LINE}\n`, ""],
    );
  });

  it("show ip inspect statistics: creations, counts per state, rates", async () => {
    const [reply] = await fixture.exec("show ip inspect statistics");
    const lines = reply?.text.split("\n") ?? [];
    assert.deepEqual(lines.slice(0, 4), [
      "Interfaces configured for inspection 1",
      "Session creations since subsystem startup or last reset 3",
      "Current session counts (estab/half-open/terminating) [1:1:1]",
      "Maxever session counts (estab/half-open/terminating) [1:2:1]",
    ]);
    assert.match(lines[4] ?? "", /^Last session created 00:00:0\d$/);
    assert.deepEqual(lines.slice(5), [
      "Last statistic reset never",
      "Last session creation rate 0",
      "Maxever session creation rate 0",
      "Last half-open session total 0",
      "",
    ]);
  });

  it("show running-config: IOS's header and the configuration in force", async () => {
    const [reply] = await fixture.exec("show running-config");
    const body = `!\n${renderRunningConfig(fixture.consoles.runtime.model)}`;
    assert.equal(
      reply?.text,
      `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n${body}`,
    );
    assert.match(body, /\nip inspect name OUT-IN esmtp\n/);
  });

  it("show logging: the sinks, then the buffered lines", async () => {
    const [reply] = await fixture.exec("show logging");
    const buffer = fixture.running.buffer;
    assert.ok(buffer !== undefined);
    assert.equal(
      reply?.text,
      [
        "Syslog logging: enabled",
        "    Console logging: level debugging (standard error)",
        `    Buffer logging: level debugging, ${buffer.logged} messages logged`,
        "    Trap logging: level informational",
        "",
        "Log Buffer (16384 bytes):",
        ...buffer.lines(),
        "",
      ].join("\n"),
    );
  });

  it("show version: smtpguard, its version and the gateway's uptime", async () => {
    const [reply] = await fixture.exec("show version");
    const lines = reply?.text.split("\n") ?? [];
    assert.equal(lines[0], `smtpguard SMTP/ESMTP inspection gateway, Version ${packageVersion}`);
    assert.equal(lines.at(-2), "gw-test uptime is 0 minutes");
  });
});
