import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { cloneRouterConfig } from "../../../src/config/model.js";
import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import { ConfigSession } from "../../../src/config/session.js";

const seedText = readFileSync(
  new URL("../../../examples/seed-router.conf", import.meta.url),
  "utf8",
);

describe("configure terminal against a loaded model", () => {
  it("applies lines one at a time, in modes, without indentation", () => {
    const model = cloneRouterConfig(parseConfig(seedText).model);
    const session = new ConfigSession(model);
    const typed = [
      ["ip inspect name OUT-IN smtp max-data 1000", "global"],
      ["interface Ethernet2/0", "interface"],
      ["no ip access-group 101 in", "interface"],
      ["ip inspect OUT-IN out", "interface"],
      ["exit", "global"],
      ["ip access-list extended MAIL", "acl"],
      ["permit tcp any any eq smtp", "acl"],
      ["line vty 0 4", "vty"],
      ["no login", "vty"],
      ["controller T1 3/0", "inert"],
      ["end", "global"],
    ] as const;
    for (const [index, [line, mode]] of typed.entries()) {
      assert.equal(session.apply(line, index + 1), undefined, line);
      assert.equal(session.mode, mode, line);
    }

    assert.equal(model.inspectRules[1]?.protocols[0]?.maxData, 1000);
    assert.equal(model.interfaces[0]?.accessGroupIn, undefined);
    assert.equal(model.interfaces[0]?.inspectOut, "OUT-IN");
    assert.equal(model.vtyLines[0]?.login, false);
    assert.match(
      renderRunningConfig(model),
      /ip access-list extended MAIL\n permit tcp any any eq smtp/,
    );
  });

  it("names the mode as IOS's prompt does", () => {
    const session = new ConfigSession();
    assert.equal(session.promptMode, "config");
    session.apply("interface Loopback0", 1);
    assert.equal(session.promptMode, "config-if");
    session.apply("ip access-list standard X", 2);
    assert.equal(session.promptMode, "config-std-nacl");
    session.apply("line vty 0 4", 3);
    assert.equal(session.promptMode, "config-line");
  });

  it("answers a problem for a bad line and stays in its mode", () => {
    const session = new ConfigSession();
    session.apply("interface Ethernet0", 1);
    const problem = session.apply("ip adress 1.1.1.1 255.0.0.0", 2);
    assert.equal(problem?.line, 2);
    assert.match(problem.message, /\nip adress 1\.1\.1\.1 255\.0\.0\.0\n {3}\^$/);
    assert.equal(session.mode, "interface");
  });

  it("leaves the original untouched when working on a clone", () => {
    const original = parseConfig(seedText).model;
    const before = renderRunningConfig(original);
    const session = new ConfigSession(cloneRouterConfig(original));
    session.apply("hostname changed", 1);
    assert.equal(renderRunningConfig(original), before);
    assert.equal(session.model.hostname, "changed");
  });
});
