import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

describe("ip inspect state-store redis (ours)", () => {
  it("reads the URL and options, renders back, and round-trips", () => {
    const line =
      "ip inspect state-store redis redis://127.0.0.1:6379 prefix mail instance gw1 share 50";
    const { model, problems } = parseConfig(line);
    assert.deepEqual(problems, []);
    assert.deepEqual(model.stateStore, {
      url: "redis://127.0.0.1:6379",
      prefix: "mail",
      instance: "gw1",
      share: 50,
    });
    const again = parseConfig(renderRunningConfig(model));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model.stateStore, model.stateStore);
  });

  it("takes the defaults and is removed by its no form", () => {
    const { model } = parseConfig("ip inspect state-store redis redis://10.0.0.5:6379");
    assert.equal(model.stateStore?.prefix, "smtpguard");
    assert.equal(model.stateStore.share, 100);
    const removed = parseConfig(
      "ip inspect state-store redis redis://10.0.0.5:6379\nno ip inspect state-store",
    );
    assert.equal(removed.model.stateStore, undefined);
  });

  it("refuses a bad URL, a share out of range and a name with spaces or colons, by line", () => {
    const { problems } = parseConfig(
      [
        "ip inspect state-store redis http://127.0.0.1:6379",
        "ip inspect state-store redis redis://127.0.0.1:6379 share 0",
        "ip inspect state-store redis redis://127.0.0.1:6379 instance a:b",
        "ip inspect state-store redis",
      ].join("\n"),
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [1, 2, 3, 4],
    );
  });
});
