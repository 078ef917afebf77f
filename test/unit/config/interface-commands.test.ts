import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

function parse(...lines: string[]) {
  return parseConfig(lines.join("\n"));
}

describe("interface commands", () => {
  it("expands abbreviated interface names and keywords", () => {
    const { model, problems } = parse(
      "int e2/0",
      " ip add 172.22.1.16 255.255.255.0",
      " ip access-g 101 in",
      " ip insp OUT-IN in",
      "interface fa 0/1",
      " shut",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      model.interfaces.map((i) => [i.name, i.address, i.accessGroupIn, i.inspectIn, i.shutdown]),
      [
        ["Ethernet2/0", { address: "172.22.1.16", mask: "255.255.255.0" }, "101", "OUT-IN", false],
        ["FastEthernet0/1", undefined, undefined, undefined, true],
      ],
    );
  });

  it("binds one rule and one list per direction, the later replacing the earlier", () => {
    const { model } = parse(
      "interface Ethernet0",
      " ip inspect A in",
      " ip inspect B out",
      " ip inspect C in",
      " ip access-group MAIL-IN in",
      " ip access-group 2000 out",
    );
    const target = model.interfaces[0];
    assert.equal(target?.inspectIn, "C");
    assert.equal(target.inspectOut, "B");
    assert.equal(target.accessGroupIn, "MAIL-IN");
    assert.equal(target.accessGroupOut, "2000");
  });

  it("regression: a rule or list named IN is a name, not the direction", () => {
    const { model, problems } = parse(
      "interface Ethernet0",
      " ip inspect IN in",
      " ip access-group OUT out",
    );
    assert.deepEqual(problems, []);
    assert.equal(model.interfaces[0]?.inspectIn, "IN");
    assert.equal(model.interfaces[0].accessGroupOut, "OUT");
  });

  it("undoes with the no forms", () => {
    const { model, problems } = parse(
      "interface Ethernet0",
      " ip address 10.0.0.1 255.0.0.0",
      " shutdown",
      " ip inspect A in",
      " ip access-group 101 in",
      " ip access-group 102 out",
      " no shutdown",
      " no ip address",
      " no ip inspect A in",
      " no ip access-group 101 in",
      " no ip access-group out",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.interfaces[0], {
      name: "Ethernet0",
      address: undefined,
      shutdown: false,
      inspectIn: undefined,
      inspectOut: undefined,
      accessGroupIn: undefined,
      accessGroupOut: undefined,
      inert: [],
    });
  });

  it("keeps inert interface lines in their place", () => {
    const text = [
      "interface Ethernet2/1",
      " description to the mail server",
      " ip address 10.10.10.1 255.255.255.0",
      " ip nat inside",
      " ip inspect IN-OUT in",
      " ip virtual-reassembly",
      " half-duplex",
    ];
    const { model, inert } = parse(...text);
    assert.deepEqual(
      inert.map((line) => line.line),
      [2, 4, 6, 7],
    );
    assert.ok(renderRunningConfig(model).includes(`${text.join("\n")}\n!`));
  });

  it("leaves the interface for a global command written without indentation", () => {
    const { model, problems } = parse(
      "interface Ethernet0",
      "ip inspect name X smtp",
      "hostname edge",
    );
    assert.deepEqual(problems, []);
    assert.equal(model.inspectRules[0]?.name, "X");
    assert.equal(model.hostname, "edge");
  });

  it("refuses bad addresses and masks with the line and the word at fault", () => {
    const { problems, model } = parse(
      "interface Ethernet0",
      " ip address 10.0.0.300 255.0.0.0",
      " ip address 10.0.0.1 255.0.255.0",
      " ip address 10.0.0.0 255.255.255.0",
      " ip address 10.0.0.1",
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 3, 4, 5],
    );
    assert.equal(
      problems[0]?.message,
      "% Invalid input detected at '^' marker.\n ip address 10.0.0.300 255.0.0.0\n            ^",
    );
    assert.match(problems[1]?.message ?? "", /^% Bad mask 255\.0\.255\.0/);
    assert.match(problems[2]?.message ?? "", /^% Bad mask \/24 for address 10\.0\.0\.0/);
    assert.equal(problems[3]?.message, "% Incomplete command.\n ip address 10.0.0.1");
    assert.equal(model.interfaces[0]?.address, undefined);
  });
});
