import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { DemoMailServer } from "../../src/demo/demo-server.js";
import { ROOT, RunningProcess, runCli, which } from "../helpers/cli.js";
import { RawClient } from "../helpers/raw-client.js";

const FIXTURES = join(ROOT, "test/fixtures");
const scratch = mkdtempSync(join(tmpdir(), "smtpguard-e2e-"));

describe("smtpguard replay", () => {
  it("masks EXPN in an smtp rule: the server sees X's, the client the 500", () => {
    const result = runCli(["replay", "--inspect", "smtp", join(FIXTURES, "expn-smtp-rule.txt")]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        "S: 220 mail.example.org ESMTP",
        "C: HELO client.example.org",
        "S: 250 mail.example.org",
        "C: XXXXXXXXXX",
        "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.0.2.10:49152)",
        "S: 500 5.5.2 Error: command not recognized",
        "C: QUIT",
        "",
      ].join("\n"),
    );
  });

  it("takes the rule from a configuration file", () => {
    const seed = join(ROOT, "examples/seed-router.conf");
    const transcript = join(FIXTURES, "expn-smtp-rule.txt");
    const result = runCli(["replay", "--config", seed, "--rule", "OUT-IN", transcript]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^C: XXXXXXXXXX$/m);
  });

  it("prints base64 for bytes that are not text lines, and the smuggling reset", () => {
    const result = runCli([
      "replay",
      "--inspect",
      "esmtp",
      join(FIXTURES, "smuggling-lf-dot-lf.txt"),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^%FW-4-SMTP_SMUGGLING: End-of-data look-alike \(LF\.LF\)/m);
    assert.match(result.stdout, /^# session reset: smuggling$/m);
    assert.ok(!result.stdout.includes("evil@example.org"));
  });

  it("applies --max-data and logs the reset", () => {
    const result = runCli([
      "replay",
      "--inspect",
      "esmtp",
      "--max-data",
      "10",
      join(FIXTURES, "one-message.txt"),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /%FW-4-SMTP_MAX_DATA_EXCEEDED: Maximum data length \(10\)/);
  });

  it("exits 2 with the line at fault on a bad transcript", () => {
    const bad = join(scratch, "bad.txt");
    writeFileSync(bad, "S: 220 hi\nX: what\n");
    const result = runCli(["replay", bad]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /line 2: expected a line starting with C:, S:, C\+ or S\+/);
  });

  it("exits 2 on bad arguments", () => {
    assert.equal(runCli(["replay", "--inspect", "ftp", "x.txt"]).code, 2);
    assert.equal(runCli(["replay"]).code, 2);
    assert.equal(runCli(["replay", "--bogus", "x.txt"]).code, 2);
    assert.equal(runCli(["frobnicate"]).code, 2);
  });
});

describe("smtpguard check", () => {
  it("accepts the source document's configuration unchanged", () => {
    const seed = join(ROOT, "examples/seed-router.conf");
    assert.equal(
      readFileSync(seed, "utf8"),
      readFileSync(join(ROOT, "../shared/spec/seed-running-config.txt"), "utf8"),
    );
    const result = runCli(["check", seed]);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /configuration is valid \(\d+ lines not applicable/);
  });

  it("accepts the demo configuration", () => {
    assert.equal(runCli(["check", join(ROOT, "examples/demo.conf")]).code, 0);
  });

  it("prints FILE:LINE: message for each problem and exits 1", () => {
    const broken = join(scratch, "broken.conf");
    writeFileSync(
      broken,
      [
        "hostname gw",
        "ip inspect name MAIL smtp",
        "ip inspect name MAIL esmtp",
        "ip inspect tcp synwait-time",
        "frobnicate the router",
        "interface Ethernet0/0",
        " ip address 10.0.0.1 255.0.255.0",
      ].join("\n"),
    );
    const result = runCli(["check", broken]);
    assert.equal(result.code, 1);
    const lines = result.stdout.split("\n").filter((line) => line.startsWith(broken));
    assert.deepEqual(
      lines.map((line) => line.slice(broken.length).split(":")[1]),
      ["3", "4", "5", "7"],
    );
    assert.match(result.stdout, /:3: % SMTP and ESMTP inspection cannot be configured together/);
    assert.match(result.stdout, /:4: % Incomplete command\./);
    assert.match(result.stdout, /:5: % Invalid input detected at '\^' marker\./);
  });

  it("exits 2 when the file cannot be read", () => {
    const result = runCli(["check", join(scratch, "missing.conf")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read configuration file/);
  });
});

// A router configuration on its own loopback addresses, so it can run beside other tests.
const GATEWAY_CONFIG = `
hostname e2e-gw
ip port-map smtp port 2525
ip inspect name OUT-IN smtp max-data 100000 audit-trail on
interface Ethernet0/0
 ip address 127.31.1.1 255.255.255.0
 ip access-group MAIL-IN in
 ip inspect OUT-IN in
interface Ethernet0/1
 ip address 127.41.1.1 255.255.255.0
ip nat inside source static tcp 127.41.1.2 2525 127.31.1.110 2525
ip access-list extended MAIL-IN
 deny tcp host 127.0.0.66 any log
 permit tcp any host 127.31.1.110 eq 2525
end
`;

describe("smtpguard run with a configuration file", () => {
  const mailServer = new DemoMailServer({ host: "127.41.1.2", port: 2525 });
  let gateway: RunningProcess;

  before(async () => {
    await mailServer.listen();
    const config = join(scratch, "gateway.conf");
    writeFileSync(config, GATEWAY_CONFIG);
    gateway = RunningProcess.cli(["run", "--config", config]);
    await gateway.waitForStderr(/listening on 127\.31\.1\.110:2525/);
  });
  after(async () => {
    await gateway.stop();
    await mailServer.close();
  });

  const swaks = which("swaks");
  it(
    "relays swaks's message byte for byte",
    { skip: !swaks && "swaks is not installed" },
    async () => {
      // --no-data-fixup: swaks sends the DATA bytes as given, dot-stuffing and end included.
      const message = "Subject: e2e\r\n\r\nHello through the gateway.\r\n.a line with a dot\r\n";
      // swaks ends --data with its own CRLF, so the final dot is given without one.
      const data = `${message.replace("\r\n.a", "\r\n..a")}.`;
      const result = await runSwaks([
        "--server",
        "127.31.1.110:2525",
        "--helo",
        "client.test",
        "--no-data-fixup",
        "--data",
        data,
      ]);
      assert.equal(result.code, 0, result.stdout);
      const expected = createHash("sha256").update(message).digest("hex");
      assert.equal(mailServer.messages.at(-1)?.sha256, expected);
    },
  );

  it("masks an illegal command and logs it", async () => {
    const client = await RawClient.connect(2525, "127.31.1.110");
    await client.waitFor(/^220 /);
    client.write("EHLO client.test\r\n");
    await client.waitFor(/^5\d\d /m);
    client.write("QUIT\r\n");
    await client.closed;
    await gateway.waitForStderr(/%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator/);
    await gateway.waitForStderr(/%FW-6-SESS_AUDIT_TRAIL: Stop smtp session/);
  });

  it("denies a source by access list and logs the entry", async () => {
    const client = await RawClient.connect(2525, "127.31.1.110", "127.0.0.66").catch(
      () => undefined,
    );
    if (client !== undefined) await client.closed;
    await gateway.waitForStderr(
      /%SEC-6-IPACCESSLOGP: list MAIL-IN denied tcp 127\.0\.0\.66\(\d+\) -> 127\.31\.1\.110\(2525\)/,
    );
  });

  it("resets a session over max-data", async () => {
    const client = await RawClient.connect(2525, "127.31.1.110");
    await client.waitFor(/^220 /);
    client.write("HELO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n");
    await client.waitFor(/^354 /m);
    client.write(`${"y".repeat(998)}\r\n`.repeat(200));
    const { reset } = await client.closed;
    assert.equal(reset, true);
    await gateway.waitForStderr(/%FW-4-SMTP_MAX_DATA_EXCEEDED: Maximum data length \(100000\)/);
  });
});

describe("npm start", () => {
  const swaks = which("swaks");
  it(
    "serves mail through the gateway as the README shows",
    { skip: !swaks && "swaks is not installed" },
    async () => {
      const demo = new RunningProcess(process.execPath, [join(ROOT, "dist/demo/start.js")]);
      try {
        await demo.waitForStderr(/gateway on 127\.22\.1\.110:2525/);
        const result = await runSwaks([
          "--server",
          "127.22.1.110:2525",
          "--from",
          "a@example.org",
          "--to",
          "b@example.org",
        ]);
        assert.equal(result.code, 0, result.stdout);
        await demo.waitForStderr(/demo mail server: message from <a@example\.org>/);
        await demo.waitForStderr(/%FW-6-SESS_AUDIT_TRAIL: Stop esmtp session/);
      } finally {
        assert.equal(await demo.stop(), 0);
      }
    },
  );
});

/** swaks, run without blocking: the mail server it talks to may live in this process. */
function runSwaks(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const all = ["--to", "b@example.org", "--from", "a@example.org", ...args];
  return new Promise((resolve) => {
    execFile("swaks", all, { encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout: `${stdout}${stderr}` });
    });
  });
}
