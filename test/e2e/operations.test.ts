import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { RunningProcess, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/haproxy.js";
import { RawClient } from "../helpers/raw-client.js";
import { ScriptServer } from "../helpers/script-server.js";

function configText(ports: { gateway: number; upstream: number; metrics: number }): string {
  return `hostname gw
ip port-map smtp port ${ports.gateway}
ip inspect name MAIL esmtp
ip inspect audit-trail
ip inspect metrics 127.0.0.1 ${ports.metrics}
ip inspect graceful-shutdown 1
interface Ethernet0
 ip address 127.22.1.1 255.255.255.0
 ip inspect MAIL in
ip nat inside source static tcp 127.0.0.1 ${ports.upstream} 127.22.1.110 ${ports.gateway}
`;
}

describe("smtpguard run as a service: metrics, SIGHUP, SIGTERM", () => {
  const mail = new ScriptServer();
  const directory = mkdtempSync(join(tmpdir(), "smtpguard-ops-"));
  const file = join(directory, "smtpguard.conf");
  const ports = { gateway: 0, upstream: 0, metrics: 0 };
  let gateway: RunningProcess;

  before(async () => {
    await mail.listen();
    ports.upstream = mail.port;
    ports.gateway = await freePort();
    ports.metrics = await freePort();
    writeFileSync(file, configText(ports));
    gateway = RunningProcess.cli(["run", "--config", file, "--control", join(directory, "ctl")]);
    await gateway.waitForStderr(/listening on 127\.22\.1\.110/);
  });
  after(async () => {
    await gateway.stop();
    await mail.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("serves Prometheus metrics on the configured loopback address", async () => {
    const client = await RawClient.connect(ports.gateway, "127.22.1.110");
    await client.waitFor(/^220 /);
    client.write("EHLO a\r\nEXPN staff\r\nFROBNICATE\r\nQUIT\r\n");
    await client.waitFor(/221 /);
    await client.closed;

    const text = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
    assert.match(text, /smtpguard_commands_total\{verb="EHLO",action="pass"\} 1/);
    assert.match(text, /smtpguard_commands_total\{verb="other",action="mask"\} 1/);
    assert.match(text, /smtpguard_rewritten_commands_total\{reason="illegal-verb"\} 1/);
    assert.match(text, /smtpguard_sessions_created_total 1/);
    assert.match(text, /smtpguard_bytes_total\{direction="initiator"\} [1-9]/);
    assert.match(text, /smtpguard_messages_total\{mnemonic="SESS_AUDIT_TRAIL"\} 1/);
    assert.match(text, /smtpguard_sessions\{state="SIS_OPEN"\} 0/);
    assert.doesNotMatch(text, /127\.22\.1\.110/);
  });

  it("SIGHUP refuses an invalid file and keeps the old configuration", async () => {
    writeFileSync(file, `${configText(ports)}ip inspect frobnicate\n`);
    gateway.child.kill("SIGHUP");
    await gateway.waitForStderr(/reload refused, configuration kept\n.*smtpguard\.conf:11: /);
    const client = await RawClient.connect(ports.gateway, "127.22.1.110");
    await client.waitFor(/^220 /);
    client.destroy();
  });

  it("SIGHUP applies a valid file", async () => {
    writeFileSync(file, configText(ports).replace("graceful-shutdown 1", "graceful-shutdown 2"));
    gateway.child.kill("SIGHUP");
    await gateway.waitForStderr(/reloaded /);
    // What is in force is what running-config prints.
    const shown = runCli(["exec", "--control", join(directory, "ctl"), "show running-config"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^ip inspect graceful-shutdown 2$/m);
  });

  it("SIGTERM stops accepting, waits the grace period, then resets and audits the rest", async () => {
    const client = await RawClient.connect(ports.gateway, "127.22.1.110");
    await client.waitFor(/^220 /);
    const started = Date.now();
    gateway.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(RawClient.connect(ports.gateway, "127.22.1.110"));

    assert.deepEqual(await client.closed, { reset: true });
    assert.ok(Date.now() - started >= 1_500, "the session had its grace period");
    assert.equal(await gateway.exited, 0);
    assert.match(gateway.stderr, /SESS_AUDIT_TRAIL: Stop esmtp session/);
  });
});
