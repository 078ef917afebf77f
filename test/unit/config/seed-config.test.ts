import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

const seedText = readFileSync(
  new URL("../../../examples/seed-router.conf", import.meta.url),
  "utf8",
);
const demoText = readFileSync(new URL("../../../examples/demo.conf", import.meta.url), "utf8");

describe("the source's running-config", () => {
  const seed = parseConfig(seedText);

  it("loads with no problems", () => {
    assert.deepEqual(seed.problems, []);
  });

  it("is an exact copy of the spec's seed", () => {
    const spec = new URL("../../../../shared/spec/seed-running-config.txt", import.meta.url);
    let original: string | undefined;
    try {
      original = readFileSync(spec, "utf8");
    } catch {
      original = undefined;
    }
    if (original !== undefined) assert.equal(seedText, original);
  });

  it("reports its inert lines with their line numbers", () => {
    const byText = new Map(seed.inert.map((line) => [line.text, line.line]));
    assert.equal(byText.get("version 12.3"), 3);
    assert.equal(byText.get("ip cef"), 25);
    assert.equal(byText.get("framing sf"), 41);
    assert.equal(byText.get("ip nat outside"), 47);
    assert.equal(byText.get("line con 0"), 83);
    assert.equal(byText.get("ip route 0.0.0.0 0.0.0.0 172.22.1.1"), 66);
    const texts = seed.inert.map((line) => line.text);
    assert.ok(texts.includes("voice-port 1/1/1"));
    assert.ok(!texts.some((text) => text.startsWith("ip inspect")));
    assert.ok(!texts.includes("end"));
  });

  it("builds the model the source describes", () => {
    const { model } = seed;
    assert.equal(model.hostname, "3640-123");
    assert.equal(model.passwordEncryption, true);
    assert.deepEqual(model.timestamps.log, {
      kind: "datetime",
      msec: true,
      localtime: false,
      showTimezone: false,
      year: false,
    });
    assert.equal(model.enablePassword?.text, "cisco123");
    assert.deepEqual(
      model.inspectRules.map((rule) => [rule.name, rule.protocols.map((p) => p.protocol)]),
      [
        ["IN-OUT", ["tcp", "udp", "ftp", "http", "icmp"]],
        ["OUT-IN", ["smtp"]],
      ],
    );
    assert.deepEqual(
      model.interfaces.map((i) => [
        i.name,
        i.address?.address,
        i.shutdown,
        i.inspectIn,
        i.accessGroupIn,
      ]),
      [
        ["Ethernet2/0", "172.22.1.16", false, "OUT-IN", "101"],
        ["Serial2/0", undefined, true, undefined, undefined],
        ["Ethernet2/1", "10.10.10.1", false, "IN-OUT", undefined],
      ],
    );
    assert.equal(model.staticNats.length, 2);
    assert.equal(model.vtyLines[0]?.password?.text, "cisco123");
    assert.equal(model.vtyLines[0].login, true);
  });

  it("renders and parses back to the same model", () => {
    const rendered = renderRunningConfig(seed.model);
    const again = parseConfig(rendered);
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model, seed.model);
    assert.equal(renderRunningConfig(again.model), rendered);
  });

  it("renders every command of the seed, in the seed's order", () => {
    const rendered = renderRunningConfig(seed.model).split("\n");
    const commands = seedText
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("!"));
    let at = 0;
    for (const command of commands) {
      const found = rendered.indexOf(command, at);
      assert.ok(found >= at, `"${command}" is missing or out of order`);
      at = found + 1;
    }
  });
});

describe("the demo configuration", () => {
  it("loads with no problems and round-trips", () => {
    const demo = parseConfig(demoText);
    assert.deepEqual(demo.problems, []);
    assert.deepEqual(parseConfig(renderRunningConfig(demo.model)).model, demo.model);
    assert.equal(demo.model.hostname, "smtpguard-demo");
    assert.equal(demo.model.inspect.auditTrail, true);
  });
});
