import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { inspectionPolicyFor } from "../../../src/config/inspection-policy.js";
import { parseConfig } from "../../../src/config/parser.js";
import { modelFromQuickFlags, QUICK_RULE_NAME } from "../../../src/config/quick-flags.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import { UsageError } from "../../../src/errors.js";
import { deriveListeners } from "../../../src/firewall/listeners.js";

describe("quick flags", () => {
  const model = modelFromQuickFlags({
    listen: "127.0.0.1:2525",
    upstream: "127.0.0.2:25",
    inspect: "esmtp",
    maxData: 1_000_000,
  });

  it("build a model that prints as the equivalent IOS configuration", () => {
    const rendered = renderRunningConfig(model);
    for (const line of [
      "hostname smtpguard",
      "ip port-map smtp port 2525",
      "ip inspect name SMTP-IN esmtp max-data 1000000",
      "interface Ethernet0/0\n ip address 127.0.0.1 255.255.255.0\n ip inspect SMTP-IN in",
      "ip nat inside source static tcp 127.0.0.2 25 127.0.0.1 2525",
    ]) {
      assert.ok(rendered.includes(line), line);
    }
    const again = parseConfig(rendered);
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model, model);
  });

  it("give one listener and the rule's policy", () => {
    assert.deepEqual(deriveListeners(model), [
      {
        listenAddress: "127.0.0.1",
        listenPort: 2525,
        upstreamAddress: "127.0.0.2",
        upstreamPort: 25,
        interfaceName: "Ethernet0/0",
        ruleName: QUICK_RULE_NAME,
        accessList: undefined,
        protocol: "esmtp",
      },
    ]);
    assert.deepEqual(inspectionPolicyFor(model, QUICK_RULE_NAME), {
      protocol: "esmtp",
      maxData: 1_000_000,
    });
  });

  it("need no port-map on port 25", () => {
    const plain = modelFromQuickFlags({
      listen: "127.0.0.1:25",
      upstream: "127.0.0.2:25",
      inspect: "smtp",
    });
    assert.deepEqual(plain.portMaps, []);
    assert.equal(deriveListeners(plain)[0]?.protocol, "smtp");
  });

  it("refuse endpoints that are not IPv4 ADDR:PORT", () => {
    for (const listen of ["localhost:25", "127.0.0.1", "127.0.0.1:0", "127.0.0.256:25"]) {
      assert.throws(
        () => modelFromQuickFlags({ listen, upstream: "127.0.0.2:25", inspect: "smtp" }),
        UsageError,
      );
    }
  });
});
