import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { cloneRouterConfig, type RouterConfig } from "../../../src/config/model.js";
import { parseConfig } from "../../../src/config/parser.js";
import { encodeType7 } from "../../../src/config/type7.js";
import { ExecConsole } from "../../../src/exec/exec-console.js";
import {
  offlineRuntime,
  type ExecRuntime,
  type LiveGateway,
} from "../../../src/exec/exec-runtime.js";
import { TraceHub } from "../../../src/exec/trace-hub.js";

const seedText = readFileSync(
  new URL("../../../examples/seed-router.conf", import.meta.url),
  "utf8",
);
const expectedAll = readFileSync(
  new URL("../../fixtures/show-ip-inspect-all.seed.txt", import.meta.url),
  "utf8",
);

function model(...lines: string[]): RouterConfig {
  const parsed = parseConfig(lines.join("\n"));
  assert.deepEqual(parsed.problems, []);
  return parsed.model;
}

function consoleOn(runtime: ExecRuntime, privilege: "user" | "privileged" = "user"): ExecConsole {
  return new ExecConsole({
    runtime,
    privilege,
    caretAfterPrompt: true,
    unsolicited: () => undefined,
  });
}

/** A gateway that only records the configurations put in force. */
class FakeGateway implements ExecRuntime, LiveGateway {
  model: RouterConfig;
  generation = 0;
  readonly committed: RouterConfig[] = [];
  failNextCommit = false;
  readonly startedAt = 0;
  readonly configPath = undefined;
  readonly trace = new TraceHub({ startedAt: 0, timestamps: { kind: "uptime" } });

  constructor(initial: RouterConfig) {
    this.model = cloneRouterConfig(initial);
  }

  get live(): LiveGateway {
    return this;
  }

  commit(next: RouterConfig): Promise<void> {
    if (this.failNextCommit) {
      this.failNextCommit = false;
      return Promise.reject(new Error("cannot listen on 192.0.2.1:25: EADDRNOTAVAIL"));
    }
    this.model = cloneRouterConfig(next);
    this.generation += 1;
    this.committed.push(this.model);
    return Promise.resolve();
  }

  now = (): number => 0;
  sessions = (): [] => [];
  statistics = (): never => assert.fail("not used");
  logging = (): never => assert.fail("not used");
  clearSession = (): boolean => false;
  save = (): Promise<void> => Promise.resolve();
  onLogLine = (): (() => void) => () => undefined;
}

async function lines(console: ExecConsole, ...input: string[]): Promise<string[]> {
  const shown: string[] = [];
  for (const line of input) {
    const prompt = console.prompt;
    const reply = await console.handle(line);
    shown.push(`${prompt}${prompt === "Password: " ? "" : line}`);
    if (reply.text !== "") shown.push(reply.text.replace(/\n$/, ""));
  }
  shown.push(console.prompt);
  return shown;
}

describe("exec console offline", () => {
  const seed = parseConfig(seedText).model;

  it("show ip inspect all prints the source's verification output", async () => {
    const reply = await consoleOn(offlineRuntime(seed)).handle("sh ip insp all");
    assert.deepEqual(reply, { status: "ok", text: expectedAll });
  });

  it("enable takes the type-7 enable password, with three tries", async () => {
    const console = consoleOn(offlineRuntime(seed));
    assert.deepEqual(await lines(console, "enable", "wrong", "cisco123"), [
      "3640-123>enable",
      "Password: ",
      "Password: ",
      "3640-123#",
    ]);
    const again = consoleOn(offlineRuntime(seed));
    assert.deepEqual(await lines(again, "en", "a", "b", "c"), [
      "3640-123>en",
      "Password: ",
      "Password: ",
      "Password: ",
      "% Bad secrets\n",
      "3640-123>",
    ]);
  });

  it("enable secret wins over enable password", async () => {
    const both = model("enable secret sesame", `enable password 7 ${encodeType7("opensez")}`);
    const console = consoleOn(offlineRuntime(both));
    await console.handle("enable");
    assert.equal((await console.handle("opensez")).status, "rejected");
    assert.equal((await console.handle("sesame")).status, "ok");
    assert.equal(console.prompt, "Router#");
  });

  it("enable without any enable password says so, as IOS does on a vty", async () => {
    const reply = await consoleOn(offlineRuntime(model())).handle("enable");
    assert.deepEqual(reply, { status: "rejected", text: "% No password set\n" });
  });

  it("draws the caret after the prompt, and refuses what needs a running gateway", async () => {
    const console = consoleOn(offlineRuntime(seed), "privileged");
    assert.deepEqual(await lines(console, "show ip inspct all", "sh ip insp sessions", "conf t"), [
      "3640-123#show ip inspct all",
      `${" ".repeat(17)}^\n% Invalid input detected at '^' marker.\n`,
      "3640-123#sh ip insp sessions",
      "% Not available offline: no gateway is running",
      "3640-123#conf t",
      "% Not available offline: no gateway is running",
      "3640-123#",
    ]);
  });

  it("help lists what the level allows", async () => {
    const user = await consoleOn(offlineRuntime(seed)).handle("?");
    assert.match(user.text, /^Exec commands:\n {2}enable {4}Turn on privileged commands\n/);
    assert.doesNotMatch(user.text, /configure/);
    const privileged = await consoleOn(offlineRuntime(seed), "privileged").handle("?");
    assert.match(privileged.text, /\n {2}configure +Enter configuration mode\n/);
  });

  it("filters output with | include, | exclude and | begin", async () => {
    const console = consoleOn(offlineRuntime(seed), "privileged");
    const include = await console.handle("show running-config | include ^ip inspect name OUT");
    assert.deepEqual(include, { status: "ok", text: "ip inspect name OUT-IN smtp\n" });
    const begin = await console.handle("sh run | b ^line vty");
    assert.equal(begin.text, "line vty 0 4\n password 7 121A0C0411045D5679\n login\n!\nend\n");
    const exclude = await console.handle("sh ip insp name IN-OUT | exclude udp|icmp|ftp|http");
    assert.equal(
      exclude.text,
      " Inspection name IN-OUT\n    tcp alert is on audit-trail is off timeout 3600\n",
    );
    const wrong = await console.handle("sh ver | inclde x");
    assert.equal(wrong.text, `${" ".repeat(18)}^\n% Invalid input detected at '^' marker.\n\n`);
    assert.equal((await console.handle("sh ver | include")).text, "% Incomplete command.\n\n");
    assert.match((await console.handle("sh ver | ?")).text, /^ {2}begin {4}Begin with/);
  });

  it("exit closes the console", async () => {
    const console = consoleOn(offlineRuntime(seed));
    await console.handle("exit");
    assert.equal(console.state, "closed");
  });
});

describe("configure terminal", () => {
  const base = model("hostname gw", "ip inspect name OUT-IN esmtp");

  it("puts each accepted line in force and follows the modes in the prompt", async () => {
    const gateway = new FakeGateway(base);
    const console = consoleOn(gateway, "privileged");
    const shown = await lines(
      console,
      "configure terminal",
      "interface Ethernet0",
      " ip address 192.0.2.1 255.255.255.0",
      " ip inspect OUT-IN in",
      "exit",
      "hostname edge",
      "end",
    );
    assert.deepEqual(shown, [
      "gw#configure terminal",
      "Enter configuration commands, one per line.  End with CNTL/Z.",
      "gw(config)#interface Ethernet0",
      "gw(config-if)# ip address 192.0.2.1 255.255.255.0",
      "gw(config-if)# ip inspect OUT-IN in",
      "gw(config-if)#exit",
      "gw(config)#hostname edge",
      "edge(config)#end",
      "edge#",
    ]);
    assert.equal(gateway.committed.length, 4);
    assert.equal(gateway.model.interfaces[0]?.inspectIn, "OUT-IN");
  });

  it("refuses an invalid line with its IOS error and changes nothing", async () => {
    const gateway = new FakeGateway(base);
    const console = consoleOn(gateway, "privileged");
    await console.handle("conf t");
    const bad = await console.handle("ip inspect name OUT-IN smtp");
    assert.deepEqual(bad, {
      status: "rejected",
      text: `${" ".repeat(34)}^\n% SMTP and ESMTP inspection cannot be configured together in rule OUT-IN\n`,
    });
    const typo = await console.handle("ip inspekt name X smtp");
    assert.equal(typo.text, `${" ".repeat(14)}^\n% Invalid input detected at '^' marker.\n`);
    assert.equal(gateway.committed.length, 0);
  });

  it("rejects a line the gateway cannot put in force, and keeps the configuration", async () => {
    const gateway = new FakeGateway(base);
    const console = consoleOn(gateway, "privileged");
    await console.handle("conf t");
    gateway.failNextCommit = true;
    const reply = await console.handle("ip nat inside source static 10.0.0.2 192.0.2.1");
    assert.equal(reply.status, "rejected");
    assert.match(reply.text, /^% cannot listen on 192\.0\.2\.1:25/);
    await console.handle("ip inspect name OTHER smtp");
    assert.deepEqual(gateway.model.staticNats, []);
    assert.equal(gateway.model.inspectRules.length, 2);
  });

  it("works on top of a change another console made meanwhile", async () => {
    const gateway = new FakeGateway(base);
    const first = consoleOn(gateway, "privileged");
    const second = consoleOn(gateway, "privileged");
    await first.handle("conf t");
    await second.handle("conf t");
    await first.handle("interface Ethernet1");
    await second.handle("ip inspect name SECOND smtp");
    await first.handle(" shutdown");
    assert.deepEqual(
      gateway.model.inspectRules.map((rule) => rule.name),
      ["OUT-IN", "SECOND"],
    );
    assert.equal(gateway.model.interfaces[0]?.shutdown, true);
    assert.equal(first.prompt, "gw(config-if)#");
  });

  it("leaves with Ctrl-Z after applying the line, and runs exec commands with do", async () => {
    const gateway = new FakeGateway(base);
    const console = consoleOn(gateway, "privileged");
    await console.handle("conf t");
    const shown = await console.handle("do show ip inspect name OUT-IN");
    assert.match(shown.text, /^ Inspection name OUT-IN\n {4}esmtp max-data/);
    await console.handle("ip inspect name OUT-IN esmtp max-data 5000\x1a");
    assert.equal(console.prompt, "gw#");
    assert.equal(gateway.model.inspectRules[0]?.protocols[0]?.maxData, 5000);
  });

  it("debug follows the console's flags; no debug all and hanging up end the trace", async () => {
    const gateway = new FakeGateway(base);
    const lines: string[] = [];
    const console = new ExecConsole({
      runtime: gateway,
      privilege: "privileged",
      caretAfterPrompt: true,
      unsolicited: (line) => lines.push(line),
    });
    const on = await console.handle("debug ip inspect smtp");
    assert.equal(on.text, "INSPECT SMTP Inspection debugging is on\n");
    await console.handle("debug ip inspect detailed");
    assert.equal(
      (await console.handle("show debugging")).text,
      "INSPECT:\n  INSPECT SMTP Inspection debugging is on\n  INSPECT Detailed debugging is on\n",
    );
    assert.equal(console.streaming, true);
    assert.equal(gateway.trace.tracing, true);
    await console.handle("undebug ip inspect smtp");
    assert.equal(gateway.trace.tracing, true, "detailed is still on");
    const off = await console.handle("no debug all");
    assert.equal(off.text, "All possible debugging has been turned off\n");
    assert.equal(gateway.trace.tracing, false);
    await console.handle("debug ip inspect esmtp");
    console.close();
    assert.equal(gateway.trace.tracing, false);
  });

  it("help in configuration mode lists the first words", async () => {
    const console = consoleOn(new FakeGateway(base), "privileged");
    await console.handle("conf t");
    const reply = await console.handle("?");
    assert.match(reply.text, /^Configure commands:\n {2}access-list {2}Add an access list entry\n/);
    assert.equal((await console.handle("ho?")).text, "hostname\n\n");
  });
});
