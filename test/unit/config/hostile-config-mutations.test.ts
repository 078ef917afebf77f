import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";

/**
 * A valid line of each command family, with the mode it needs: `parent` is the line that
 * enters the mode (interface, line vty). Each is mutated argument by argument below.
 */
const FAMILIES: readonly { family: string; parent?: string; line: string }[] = [
  { family: "inspect", line: "ip inspect name MAIL esmtp max-data 5000 alert off timeout 600" },
  { family: "inspect", line: "ip inspect max-incomplete high 500" },
  { family: "inspect", line: "ip inspect one-minute low 400" },
  { family: "inspect", line: "ip inspect tcp synwait-time 30" },
  { family: "inspect", line: "ip inspect tcp max-incomplete host 50 block-time 2" },
  { family: "inspect", line: "ip port-map smtp port 2525" },
  {
    family: "interface",
    parent: "interface Ethernet2/0",
    line: "ip address 10.0.0.1 255.255.255.0",
  },
  { family: "interface", parent: "interface Ethernet2/0", line: "ip access-group 101 in" },
  { family: "interface", parent: "interface Ethernet2/0", line: "ip inspect OUT-IN in" },
  { family: "access-list", line: "access-list 101 permit tcp any host 10.0.0.2 eq 25 log" },
  { family: "access-list", line: "access-list 10 permit 10.0.0.0 0.0.0.255" },
  { family: "nat", line: "ip nat inside source static tcp 10.0.0.2 25 10.1.0.2 2525" },
  { family: "nat", line: "ip nat inside source static 10.0.0.2 10.1.0.2" },
  { family: "logging", line: "logging buffered 16384 debugging" },
  { family: "logging", line: "logging host 127.0.0.1 transport tcp port 601" },
  { family: "logging", line: "logging format rfc5424" },
  { family: "line/enable", line: "enable password 7 02050D4808095E731F" },
  { family: "line/enable", line: "enable secret 0 topsecret" },
  { family: "line/enable", parent: "line vty 0 4", line: "password 7 121A0C0411045D5679" },
  { family: "line/enable", line: "line vty 0 4" },
  { family: "operations", line: "ip inspect metrics 127.0.0.1 9100" },
  { family: "operations", line: "ip inspect graceful-shutdown 30" },
  { family: "operations", line: "ip inspect proxy-protocol timeout 5" },
];

/** Replacements for one argument: out of range, of the wrong type, or plain nonsense. */
const WRONG = ["0", "-1", "99999999999", "4294967296", "abc", "1.2.3.999", "300.1.1.1", "%", "?x"];

/** The line with each token dropped, and each token but the first replaced by each WRONG one. */
function mutationsOf(line: string): string[] {
  const tokens = line.split(" ");
  const mutations: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    mutations.push([...tokens.slice(0, index), ...tokens.slice(index + 1)].join(" "));
    if (index === 0) continue;
    for (const wrong of WRONG) {
      mutations.push([...tokens.slice(0, index), wrong, ...tokens.slice(index + 1)].join(" "));
    }
  }
  // Cut short after each token: an argument missing at the end.
  for (let length = 1; length < tokens.length; length++) {
    mutations.push(tokens.slice(0, length).join(" "));
  }
  return mutations;
}

/** Filler before the line under test, so that its line number is not a lucky 1. */
const PREAMBLE = ["hostname gw", "!", "ip inspect name OUT-IN esmtp"];

describe("bad configuration: every mutated argument gets a line-numbered IOS error", () => {
  for (const { family, parent, line } of FAMILIES) {
    it(`${family}: ${line}`, () => {
      const lines = [...PREAMBLE, ...(parent === undefined ? [] : [parent])];
      const at = lines.length + 1;
      assert.deepEqual(parseConfig([...lines, ` ${line}`].join("\n")).problems, [], "the seed");

      for (const mutation of mutationsOf(line)) {
        const text = [...lines, ` ${mutation}`, "end"].join("\n");
        const { problems } = parseConfig(text);
        for (const problem of problems) {
          // A problem of the mutated line carries its number; none is a stack trace.
          assert.ok(problem.line >= 1 && problem.line <= at + 1, `${mutation}: ${problem.line}`);
          assert.match(problem.message, /^%/, mutation);
          assert.doesNotMatch(problem.message, /\n\s+at \S+ \(|TypeError|RangeError/, mutation);
        }
      }
    });
  }

  it("names the exact line of lines that are certainly wrong, in every family", () => {
    const broken = [
      "ip inspect name MAIL esmtp max-data abc",
      "ip inspect name MAIL esmtp timeout -1",
      "ip inspect max-incomplete high",
      "ip inspect tcp synwait-time 99999999999",
      "ip port-map smtp port 70000",
      "interface Ethernet2/0",
      " ip address 10.0.0.300 255.255.255.0",
      " ip access-group 101 sideways",
      " ip inspect",
      "access-list 101 permit tcp any host 10.0.0.999 eq 25",
      "access-list 101 allow tcp any any",
      "ip nat inside source static tcp 10.0.0.2 99999 10.1.0.2 25",
      "ip nat inside source static 10.0.0.2",
      "logging buffered abc",
      "logging host 127.0.0.1 transport carrier-pigeon",
      "logging format rfc822",
      "enable password 7 ZZZ",
      "enable secret",
      "line vty 0 abc",
      "ip inspect metrics 127.0.0.1 99999",
      "ip inspect graceful-shutdown abc",
      "ip inspect proxy-protocol timeout",
    ];
    const { problems } = parseConfig([...PREAMBLE, ...broken].join("\n"));
    const lines = new Set(problems.map((problem) => problem.line));
    broken.forEach((text, index) => {
      if (text === "interface Ethernet2/0") return;
      assert.ok(lines.has(PREAMBLE.length + index + 1), `no problem on line: ${text}`);
    });
  });
});
