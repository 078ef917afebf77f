import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

describe("ip nat inside source static ... xclient (ours)", () => {
  it("reads, renders back, and cannot be combined with proxy-protocol", () => {
    const line = "ip nat inside source static tcp 10.10.10.2 25 172.22.1.110 25 xclient";
    const { model, problems } = parseConfig(line);
    assert.deepEqual(problems, []);
    assert.equal(model.staticNats[0]?.xclient, true);
    assert.match(renderRunningConfig(model), new RegExp(`^${line}$`, "m"));
    const both = parseConfig(`${line} proxy-protocol v2`);
    assert.equal(both.problems[0]?.line, 1);
  });
});
