import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { ROOT } from "../helpers/cli.js";
import { missingTool } from "../helpers/haproxy.js";

const UNIT = join(ROOT, "deploy/smtpguard.service");

describe("deploy/smtpguard.service", () => {
  it("passes systemd-analyze verify", { skip: missingTool("systemd-analyze", "--version") }, () => {
    const result = spawnSync("systemd-analyze", ["verify", UNIT], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), "");
  });

  it("runs unprivileged with only the capability to bind port 25", () => {
    const unit = readFileSync(UNIT, "utf8");
    assert.match(unit, /^User=smtpguard$/m);
    assert.match(unit, /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
    assert.match(unit, /^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m);
    assert.match(unit, /^NoNewPrivileges=yes$/m);
    assert.match(unit, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  });
});
