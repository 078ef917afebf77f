import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import { inspectionPolicyFor } from "../../../src/config/inspection-policy.js";

function parse(...lines: string[]) {
  return parseConfig(lines.join("\n"));
}

describe("ip inspect name", () => {
  it("takes the options in any order and keeps them", () => {
    const { model, problems } = parse(
      "ip inspect name MAIL esmtp timeout 600 audit-trail on max-data 5000 alert off",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.inspectRules, [
      {
        name: "MAIL",
        protocols: [
          { protocol: "esmtp", maxData: 5000, alert: false, auditTrail: true, timeout: 600 },
        ],
      },
    ]);
    assert.match(
      renderRunningConfig(model),
      /^ip inspect name MAIL esmtp max-data 5000 alert off audit-trail on timeout 600$/m,
    );
  });

  it("accepts abbreviated keywords", () => {
    const { model, problems } = parse("ip insp na X sm max 100 al of", "ip insp name X tc");
    assert.deepEqual(problems, []);
    assert.deepEqual(
      model.inspectRules[0]?.protocols.map((p) => [p.protocol, p.maxData, p.alert]),
      [
        ["smtp", 100, false],
        ["tcp", undefined, undefined],
      ],
    );
  });

  it("replaces a protocol's options when it is entered again", () => {
    const { model } = parse(
      "ip inspect name R smtp max-data 100",
      "ip inspect name R tcp",
      "ip inspect name R smtp timeout 30",
    );
    assert.deepEqual(
      model.inspectRules[0]?.protocols.map((p) => [p.protocol, p.maxData, p.timeout]),
      [
        ["smtp", undefined, 30],
        ["tcp", undefined, undefined],
      ],
    );
  });

  it("refuses smtp and esmtp together in one rule, either way round, and keeps the rule", () => {
    for (const [first, second] of [
      ["smtp", "esmtp"],
      ["esmtp", "smtp"],
    ] as const) {
      const { model, problems } = parse(
        `ip inspect name R ${first} max-data 100`,
        `ip inspect name R ${second}`,
      );
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.line, 2);
      assert.match(
        problems[0].message,
        /^% SMTP and ESMTP inspection cannot be configured together in rule R\n/,
      );
      assert.deepEqual(
        model.inspectRules[0]?.protocols.map((p) => [p.protocol, p.maxData]),
        [[first, 100]],
      );
    }
  });

  it("refuses max-data on a protocol that has no message content", () => {
    const { problems } = parse("ip inspect name R tcp max-data 100");
    assert.match(problems[0]?.message ?? "", /Invalid input detected/);
  });

  it("removes one protocol, then the whole rule, with the no forms", () => {
    const { model } = parse(
      "ip inspect name R smtp",
      "ip inspect name R tcp",
      "ip inspect name S udp",
      "no ip inspect name R smtp",
      "no ip inspect name S",
    );
    assert.deepEqual(
      model.inspectRules.map((rule) => [rule.name, rule.protocols.map((p) => p.protocol)]),
      [["R", ["tcp"]]],
    );
  });

  it("gives the inspector its policy", () => {
    const { model } = parse(
      "ip inspect name A esmtp max-data 4096",
      "ip inspect name B tcp",
      "ip inspect name C smtp",
    );
    assert.deepEqual(inspectionPolicyFor(model, "A"), { protocol: "esmtp", maxData: 4096 });
    assert.deepEqual(inspectionPolicyFor(model, "C"), { protocol: "smtp", maxData: 20_000_000 });
    assert.equal(inspectionPolicyFor(model, "B"), undefined);
    assert.equal(inspectionPolicyFor(model, "NONE"), undefined);
  });
});

describe("global ip inspect settings", () => {
  it("sets the switches, thresholds and timers, and renders only what differs", () => {
    const { model, problems } = parse(
      "ip inspect audit-trail",
      "ip inspect alert-off",
      "ip inspect max-incomplete low 100",
      "ip inspect max-incomplete high 200",
      "ip inspect one-minute high unlimited",
      "ip inspect tcp max-incomplete host 20 block-time 5",
      "ip inspect tcp synwait-time 10",
      "ip inspect tcp finwait-time 2",
      "ip inspect tcp idle-time 900",
      "ip inspect udp idle-time 15",
      "ip inspect dns-timeout 3",
      "ip inspect source max-sessions 10",
      "ip inspect source one-minute 600",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.inspect, {
      auditTrail: true,
      alertOff: true,
      maxIncomplete: { high: 200, low: 100 },
      oneMinute: { high: Number.POSITIVE_INFINITY, low: 400 },
      hostMaxIncomplete: 20,
      hostBlockTime: 5,
      tcpSynwaitTime: 10,
      tcpFinwaitTime: 2,
      tcpIdleTime: 900,
      udpIdleTime: 15,
      dnsTimeout: 3,
      sourceMaxSessions: 10,
      sourceOneMinute: 600,
    });
    const again = parseConfig(renderRunningConfig(model));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model.inspect, model.inspect);
    assert.match(renderRunningConfig(model), /^ip inspect one-minute high unlimited$/m);
  });

  it("puts every global back to its default with the no forms", () => {
    const { model, problems } = parse(
      "ip inspect audit-trail",
      "ip inspect alert-off",
      "ip inspect max-incomplete high 900",
      "ip inspect tcp synwait-time 10",
      "ip inspect tcp max-incomplete host 20 block-time 5",
      "ip inspect udp idle-time 15",
      "ip inspect dns-timeout 3",
      "no ip inspect audit-trail",
      "no ip inspect alert-off",
      "no ip inspect max-incomplete high",
      "no ip inspect tcp synwait-time 10",
      "no ip inspect tcp max-incomplete host",
      "no ip inspect udp idle-time",
      "no ip inspect dns-timeout",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.inspect, parse("").model.inspect);
  });

  it("checks high against low once the whole text is read", () => {
    const consistent = parse(
      "ip inspect max-incomplete high 100",
      "ip inspect max-incomplete low 50",
    );
    assert.deepEqual(consistent.problems, []);

    const { problems } = parse("!", "ip inspect one-minute low 600");
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 2);
    assert.match(problems[0].message, /one-minute high \(500\) must not be lower than low \(600\)/);
  });

  it("refuses timers out of range", () => {
    const { problems, model } = parse(
      "ip inspect tcp idle-time 0",
      "ip inspect tcp max-incomplete host 999",
    );
    assert.equal(problems.length, 2);
    assert.match(problems[0]?.message ?? "", /^% Time 0 is out of range 1-2147483\./);
    assert.match(problems[1]?.message ?? "", /^% Host limit 999 is out of range 1-250\./);
    assert.equal(model.inspect.tcpIdleTime, 3600);
  });
});
