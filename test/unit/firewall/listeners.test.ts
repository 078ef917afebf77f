import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { deriveListeners } from "../../../src/firewall/listeners.js";

function load(name: string) {
  const text = readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8");
  return parseConfig(text).model;
}

function parse(...lines: string[]) {
  const { model, problems } = parseConfig(lines.join("\n"));
  assert.deepEqual(problems, []);
  return model;
}

describe("listeners derived from the configuration", () => {
  it("for the source's router: both static NATs on the outside interface, port 25", () => {
    const common = {
      interfaceName: "Ethernet2/0",
      ruleName: "OUT-IN",
      accessList: "101",
      protocol: "smtp",
    };
    assert.deepEqual(deriveListeners(load("seed-router.conf")), [
      {
        listenAddress: "172.22.1.110",
        listenPort: 25,
        upstreamAddress: "10.10.10.2",
        upstreamPort: 25,
        ...common,
      },
      {
        listenAddress: "172.22.1.111",
        listenPort: 25,
        upstreamAddress: "10.10.10.5",
        upstreamPort: 25,
        ...common,
      },
    ]);
  });

  it("for the demo: the port-level translation on 2525", () => {
    assert.deepEqual(deriveListeners(load("demo.conf")), [
      {
        listenAddress: "127.22.1.110",
        listenPort: 2525,
        upstreamAddress: "127.10.10.2",
        upstreamPort: 2525,
        interfaceName: "Ethernet2/0",
        ruleName: "OUT-IN",
        accessList: "101",
        protocol: "esmtp",
      },
    ]);
  });

  it("listens on 25 and every port-mapped SMTP port for a host translation", () => {
    const model = parse(
      "ip port-map smtp port 2525",
      "ip inspect name IN smtp",
      "interface Ethernet0",
      " ip address 192.0.2.1 255.255.255.0",
      " ip inspect IN in",
      "ip nat inside source static 10.0.0.2 192.0.2.10",
    );
    assert.deepEqual(
      deriveListeners(model).map((spec) => [spec.listenPort, spec.upstreamPort]),
      [
        [25, 25],
        [2525, 2525],
      ],
    );
  });

  it("needs an up interface with an inbound rule that inspects smtp, esmtp or tcp", () => {
    const base = [
      "ip inspect name MAIL smtp",
      "ip inspect name WEB http",
      "ip inspect name ANY tcp",
      "ip nat inside source static 10.0.0.2 192.0.2.10",
    ];
    const withInterface = (...lines: string[]) =>
      deriveListeners(
        parse(...base, "interface Ethernet0", " ip address 192.0.2.1 255.255.255.0", ...lines),
      );

    assert.equal(withInterface(" ip inspect MAIL in").length, 1);
    assert.deepEqual(withInterface(" ip inspect MAIL in", " shutdown"), []);
    assert.deepEqual(withInterface(" ip inspect MAIL out"), []);
    assert.deepEqual(withInterface(" ip inspect WEB in"), []);
    assert.deepEqual(withInterface(" ip inspect UNDEFINED in"), []);
    assert.equal(withInterface(" ip inspect ANY in")[0]?.protocol, "tcp");
  });

  it("ignores translations outside every interface's subnet", () => {
    const model = parse(
      "ip inspect name MAIL smtp",
      "interface Ethernet0",
      " ip address 192.0.2.1 255.255.255.0",
      " ip inspect MAIL in",
      "ip nat inside source static 10.0.0.2 198.51.100.10",
    );
    assert.deepEqual(deriveListeners(model), []);
  });

  it("relays a port translation off the SMTP ports only under a tcp rule", () => {
    const lines = (rule: string) => [
      `ip inspect name R ${rule}`,
      "interface Ethernet0",
      " ip address 192.0.2.1 255.255.255.0",
      " ip inspect R in",
      "ip nat inside source static tcp 10.0.0.2 8025 192.0.2.10 8025",
    ];
    assert.deepEqual(deriveListeners(parse(...lines("smtp"))), []);
    assert.equal(deriveListeners(parse(...lines("tcp")))[0]?.protocol, "tcp");
  });
});
