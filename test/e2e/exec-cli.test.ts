import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { DemoMailServer } from "../../src/demo/demo-server.js";
import { RawClient } from "../helpers/raw-client.js";
import { configText, freePort } from "../integration/exec-fixture.js";

/** The built CLI: `npm test` builds it first. */
const CLI = join(import.meta.dirname, "../../dist/cli.js");
const ROOT = join(import.meta.dirname, "../..");
const CLI_LIMIT_MS = 20_000;

const seedAll = readFileSync(join(ROOT, "test/fixtures/show-ip-inspect-all.seed.txt"), "utf8");

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI process; its output is collected, and it is killed if it outlives its limit. */
class Cli {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly finished: Promise<Finished>;

  constructor(args: readonly string[], limitMs = CLI_LIMIT_MS) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    this.child.stdout?.on("data", (chunk: Buffer) => (this.stdout += chunk.toString("utf8")));
    this.child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), limitMs);
    this.finished = new Promise((resolve) => {
      this.child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  async waitFor(stream: "stdout" | "stderr", pattern: RegExp, limitMs = 10_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!pattern.test(this[stream])) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${String(pattern)} in ${stream}: ${this[stream]}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function cli(...args: string[]): Promise<Finished> {
  return new Cli(args).finished;
}

describe("smtpguard exec --config (offline)", () => {
  it("show ip inspect all on the seed router prints SPEC section 9 line for line", async () => {
    const result = await cli(
      "exec",
      "--config",
      "examples/seed-router.conf",
      "show ip inspect all",
    );
    assert.deepEqual(result, { code: 0, stdout: seedAll, stderr: "" });
    assert.deepEqual(result.stdout.split("\n"), seedAll.split("\n"));
  });

  it("answers the configuration commands, and refuses the live ones with exit 1", async () => {
    const config = ["exec", "--config", "examples/seed-router.conf"];
    const running = await cli(...config, "sh run");
    assert.equal(running.code, 0);
    assert.match(
      running.stdout,
      /^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n!\n/,
    );
    const version = await cli(...config, "show version");
    assert.match(
      version.stdout,
      /^smtpguard SMTP\/ESMTP inspection gateway, Version \d+\.\d+\.\d+/,
    );
    const live = await cli(...config, "show ip inspect sessions");
    assert.deepEqual(
      [live.code, live.stdout],
      [1, "% Not available offline: no gateway is running\n"],
    );
    const typo = await cli(...config, "show ip inspct all");
    assert.deepEqual(
      [typo.code, typo.stdout],
      [1, "show ip inspct all\n        ^\n% Invalid input detected at '^' marker.\n\n"],
    );
  });
});

describe("smtpguard run --control and exec --control", () => {
  let dir: string;
  let mailServer: DemoMailServer;
  let gateway: Cli;
  let control: string;
  let mail: { address: string; port: number };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "smtpguard-exec-e2e-"));
    mailServer = new DemoMailServer({ host: "127.0.0.1", port: 0 });
    await mailServer.listen();
    mail = { address: "127.22.9.110", port: await freePort("127.22.9.110") };
    const quiet = await freePort("127.22.9.111");
    const configPath = join(dir, "router.conf");
    const ports = { mail: mail.port, quiet, demo: mailServer.port, silent: 9 };
    await writeFile(configPath, configText(ports), { mode: 0o600 });
    control = join(dir, "control.sock");
    const vty = `127.0.0.1:${await freePort("127.0.0.1")}`;
    gateway = new Cli(["run", "--config", configPath, "--control", control, "--vty", vty], 60_000);
    await gateway.waitFor("stderr", /control socket .*\n[\s\S]*vty on /);
  });

  after(async () => {
    gateway.child.kill("SIGTERM");
    await gateway.finished;
    await mailServer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("opens the control socket for its owner only", async () => {
    assert.equal((await stat(control)).mode & 0o777, 0o600);
  });

  it("exits 0 on success, 1 on a refused command, 2 when the gateway cannot be reached", async () => {
    const shown = await cli("exec", "--control", control, "show ip inspect name OUT-IN");
    assert.deepEqual(shown, {
      code: 0,
      stdout:
        " Inspection name OUT-IN\n    esmtp max-data 20000000 alert is on audit-trail is off timeout 3600\n",
      stderr: "",
    });
    const refused = await cli("exec", "--control", control, "show ip inspect");
    assert.deepEqual([refused.code, refused.stdout], [1, "% Incomplete command.\n\n"]);
    const missing = await cli("exec", "--control", join(dir, "nobody.sock"), "show version");
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^smtpguard: cannot reach the gateway at .*nobody\.sock: ENOENT\n$/,
    );
  });

  it("streams debug output while a client sends mail, until interrupted", async () => {
    const debug = new Cli(["exec", "--control", control, "debug ip inspect esmtp"]);
    await debug.waitFor("stdout", /INSPECT ESMTP Inspection debugging is on\n/);
    const client = await RawClient.connect(mail.port, mail.address);
    try {
      await client.waitFor(/^220 /);
      client.write("EHLO client.example\r\n");
      await client.waitFor(/\r\n250 /);
      client.write("QUIT\r\n");
      await client.closed;
    } finally {
      client.destroy();
    }
    await debug.waitFor("stdout", /CBAC ESMTP: sis [0-9A-F]{8} cmd 'QUIT' matched/);
    assert.match(
      debug.stdout,
      /: CBAC ESMTP: sis [0-9A-F]{8} cmd 'EHLO' matched, parameters 'client\.example' len:14\n/,
    );
    debug.child.kill("SIGINT");
    assert.equal((await debug.finished).code, 0);
  });

  it("removes the control socket when it stops", async () => {
    gateway.child.kill("SIGTERM");
    assert.equal((await gateway.finished).code, 0);
    await assert.rejects(stat(control), { code: "ENOENT" });
  });
});
