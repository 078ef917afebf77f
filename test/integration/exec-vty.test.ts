import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { eventually } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";
import {
  ENABLE_PASSWORD,
  startExecFixture,
  VTY_PASSWORD,
  type ExecFixture,
} from "./exec-fixture.js";

const WILL_ECHO = "\xff\xfb\x01";
const WONT_ECHO = "\xff\xfc\x01";

/** A vty user: sends lines, and reads what came back since the last thing it read. */
class VtyUser {
  readonly client: RawClient;
  #read = 0;

  constructor(client: RawClient) {
    this.client = client;
  }

  static async connect(fixture: ExecFixture): Promise<VtyUser> {
    return new VtyUser(await RawClient.connect(fixture.vtyPort));
  }

  /** Everything from what was last read up to and including the next match of `pattern`. */
  async until(pattern: RegExp, limitMs = 5_000): Promise<string> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const rest = this.client.text.slice(this.#read);
      const match = pattern.exec(rest);
      if (match !== null) {
        const end = match.index + match[0].length;
        this.#read += end;
        return rest.slice(0, end);
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${String(pattern)} in ${JSON.stringify(rest)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Sends a line and returns what the vty printed up to its next prompt. */
  async line(text: string): Promise<string> {
    this.client.write(`${text}\r\n`);
    return this.until(/gw-test[>#]|Password: |\r\n$/);
  }

  get all(): string {
    return this.client.text;
  }
}

describe("vty", () => {
  let fixture: ExecFixture;
  const users: VtyUser[] = [];

  async function login(): Promise<VtyUser> {
    const user = await VtyUser.connect(fixture);
    users.push(user);
    await user.until(/Password: /);
    assert.equal(await user.line(VTY_PASSWORD), `${WONT_ECHO}\r\ngw-test>`);
    return user;
  }

  before(async () => {
    fixture = await startExecFixture();
  });
  // Each test hangs up, so the next finds both lines of `line vty 0 1` free.
  afterEach(async () => {
    for (const user of users.splice(0)) user.client.destroy();
    await eventually(() => fixture.consoles.vty?.linesInUse === 0);
  });
  after(async () => {
    await fixture.stop();
  });

  it("asks for the line password, three tries, then hangs up", async () => {
    const user = await VtyUser.connect(fixture);
    users.push(user);
    assert.equal(
      await user.until(/Password: /),
      `\r\n\r\nUser Access Verification\r\n\r\n${WILL_ECHO}Password: `,
    );
    assert.equal(await user.line("wrong"), "\r\nPassword: ");
    assert.equal(await user.line("cisco"), "\r\nPassword: ");
    user.client.write("Cisco123\r\n");
    assert.deepEqual(await user.client.closed, { reset: false });
    assert.ok(user.all.endsWith(`${WONT_ECHO}\r\n% Bad passwords\r\n\r\n`));
  });

  it("logs in, takes abbreviations and answers ? as IOS does", async () => {
    const user = await login();
    assert.equal(
      await user.line("sh ip insp name OUT-IN"),
      " Inspection name OUT-IN\r\n" +
        "    esmtp max-data 20000000 alert is on audit-trail is off timeout 3600\r\ngw-test>",
    );
    assert.equal(
      await user.line("show ip inspect ?"),
      [
        "  all         Inspection all available information",
        "  config      Inspection configuration",
        "  interfaces  Inspection interfaces",
        "  name        Inspection name",
        "  sessions    Inspection sessions",
        "  statistics  Inspection statistics",
        "",
        "gw-test>",
      ].join("\r\n"),
    );
    assert.equal(await user.line("sh ip insp s?"), "sessions  statistics\r\n\r\ngw-test>");
    assert.equal(
      await user.line("show ip inspct all"),
      `${" ".repeat("gw-test>show ip ".length)}^\r\n% Invalid input detected at '^' marker.\r\n\r\ngw-test>`,
    );
    assert.match(await user.line("show running-config"), /% Invalid input detected/);
  });

  it("enable takes the type-7 enable password to reach hostname#", async () => {
    const user = await login();
    assert.equal(await user.line("enable"), `${WILL_ECHO}Password: `);
    assert.equal(await user.line("nope"), `${WONT_ECHO}\r\n${WILL_ECHO}Password: `);
    assert.equal(await user.line(ENABLE_PASSWORD), `${WONT_ECHO}\r\ngw-test#`);
    assert.match(await user.line("sh run"), /^Building configuration\.\.\.\r\n/);
    assert.equal(await user.line("disable"), "gw-test>");
  });

  it("never shows a password, in its output or in the log", async () => {
    const user = await login();
    await user.line("enable");
    await user.line("wrong-enable");
    await user.line(ENABLE_PASSWORD);
    await user.line("sh ip insp sessions");
    const output = user.all;
    const log = fixture.consoleLog.join("");
    for (const secret of [VTY_PASSWORD, ENABLE_PASSWORD]) {
      assert.ok(!output.includes(secret), `${secret} in the vty output`);
      assert.ok(!log.includes(secret), `${secret} in the log`);
    }
  });

  it("gives each connection a free vty line, and refuses one more than there are", async () => {
    await login();
    await login();
    assert.equal(fixture.consoles.vty?.linesInUse, 2);
    const extra = await RawClient.connect(fixture.vtyPort);
    await extra.closed;
    assert.match(extra.text, /% All vty lines are in use/);
  });
});

describe("vty after configuration changes", () => {
  let fixture: ExecFixture;
  const users: VtyUser[] = [];
  before(async () => {
    fixture = await startExecFixture();
  });
  after(async () => {
    for (const user of users) user.client.destroy();
    await fixture.stop();
  });

  it("enable secret, once configured, wins over enable password", async () => {
    const replies = await fixture.exec("conf t", "enable secret sesame", "end");
    assert.ok(replies.every((reply) => reply.status === "ok"));
    const [config] = await fixture.exec("show running-config");
    assert.match(
      config?.text ?? "",
      /\nenable secret 5 \$1\$[./0-9A-Za-z]{4}\$[./0-9A-Za-z]{22}\n/,
    );

    const user = await VtyUser.connect(fixture);
    users.push(user);
    await user.until(/Password: /);
    await user.line(VTY_PASSWORD);
    await user.line("enable");
    assert.equal(await user.line(ENABLE_PASSWORD), `${WONT_ECHO}\r\n${WILL_ECHO}Password: `);
    assert.equal(await user.line("sesame"), `${WONT_ECHO}\r\ngw-test#`);
    user.client.write("exit\r\n");
    assert.deepEqual(await user.client.closed, { reset: false });
  });

  it("refuses logins on a line with login and no password", async () => {
    const replies = await fixture.exec("conf t", "line vty 0 1", "no password", "end");
    assert.ok(replies.every((reply) => reply.status === "ok"));
    const user = await VtyUser.connect(fixture);
    users.push(user);
    await user.client.closed;
    assert.equal(user.all, "\r\n% Login disabled on line 0, until 'password' is set\r\n");
  });
});
