import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import {
  showInspectAll,
  showInspectConfig,
  showInspectInterfaces,
  showInspectName,
} from "../../../src/exec/show-inspect.js";

const seedText = readFileSync(
  new URL("../../../examples/seed-router.conf", import.meta.url),
  "utf8",
);
const expectedAll = readFileSync(
  new URL("../../fixtures/show-ip-inspect-all.seed.txt", import.meta.url),
  "utf8",
);

function parse(...lines: string[]) {
  return parseConfig(lines.join("\n")).model;
}

describe("show ip inspect", () => {
  const seed = parseConfig(seedText).model;

  it("all: prints the source's verification output line for line (SPEC section 9)", () => {
    assert.equal(showInspectAll(seed), expectedAll);
  });

  it("all: appends the session listing it is given", () => {
    const sessions =
      "Established Sessions\n Session 0000ABCD (1.1.1.1:1)=>(2.2.2.2:25) smtp SIS_OPEN\n";
    assert.equal(showInspectAll(seed, sessions), expectedAll + sessions);
  });

  it("name: the rule's block only", () => {
    assert.equal(
      showInspectName(seed, "OUT-IN"),
      " Inspection name OUT-IN\n    smtp max-data 20000000 alert is on audit-trail is off timeout 3600\n",
    );
    assert.equal(showInspectName(seed, "NOPE"), "");
  });

  it("config: reflects globals, explicit options and inherited ones", () => {
    const model = parse(
      "ip inspect audit-trail",
      "ip inspect alert-off",
      "ip inspect max-incomplete high unlimited",
      "ip inspect tcp idle-time 1800",
      "ip inspect udp idle-time 20",
      "ip inspect tcp max-incomplete host 20 block-time 2",
      "ip inspect name M esmtp max-data 1000 alert on timeout 60",
      "ip inspect name M tcp",
      "ip inspect name M udp",
    );
    assert.equal(
      showInspectConfig(model),
      [
        "Session audit trail is enabled",
        "Session alert is disabled",
        "one-minute (sampling period) thresholds are [400:500] connections",
        "max-incomplete sessions thresholds are [400:unlimited]",
        "max-incomplete tcp connections per host is 20. Block-time 2 minute.",
        "tcp synwait-time is 30 sec -- tcp finwait-time is 5 sec",
        "tcp idle-time is 1800 sec -- udp idle-time is 20 sec",
        "dns-timeout is 5 sec",
        "Inspection Rule Configuration",
        " Inspection name M",
        "    esmtp max-data 1000 alert is on audit-trail is on timeout 60",
        "    tcp alert is off audit-trail is on timeout 1800",
        "    udp alert is off audit-trail is on timeout 20",
        "",
      ].join("\n"),
    );
  });

  it("interfaces: lists interfaces with a rule bound, latest first, outgoing too", () => {
    const model = parse(
      "ip inspect name M smtp",
      "interface Ethernet0",
      " ip inspect M out",
      " ip access-group OUT-LIST out",
      "interface Ethernet1",
      " ip access-group 101 in",
      "interface Ethernet2",
      " ip inspect GONE in",
    );
    assert.equal(
      showInspectInterfaces(model),
      [
        "Interface Configuration",
        " Interface Ethernet2",
        "  Inbound inspection rule is GONE",
        "  Outgoing inspection rule is not set",
        "  Inbound access list is not set",
        "  Outgoing access list is not set",
        " Interface Ethernet0",
        "  Inbound inspection rule is not set",
        "  Outgoing inspection rule is M",
        "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600",
        "  Inbound access list is not set",
        "  Outgoing access list is OUT-LIST",
        "",
      ].join("\n"),
    );
  });
});
