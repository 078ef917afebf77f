import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { parseConfig } from "../../../src/config/parser.js";

describe("problems in a configuration text", () => {
  it("marks an unknown command with IOS's caret under the first bad word", () => {
    const { problems } = parseConfig("hostname r1\n!\nip inspct name X smtp\n");
    assert.deepEqual(problems, [
      {
        line: 3,
        message: "% Invalid input detected at '^' marker.\nip inspct name X smtp\n   ^",
      },
    ]);
  });

  it("marks an unknown first word", () => {
    const { problems } = parseConfig("  frobnicate now");
    assert.equal(
      problems[0]?.message,
      "% Invalid input detected at '^' marker.\n  frobnicate now\n  ^",
    );
  });

  it("says a command is incomplete when arguments are missing", () => {
    const { problems } = parseConfig(
      "ip inspect name X\nip nat inside source static tcp 10.0.0.1 25",
    );
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.message.split("\n")[0]]),
      [
        [1, "% Incomplete command."],
        [2, "% Incomplete command."],
      ],
    );
  });

  it("says an abbreviation is ambiguous", () => {
    const { problems } = parseConfig("ip inspect name X s");
    assert.match(problems[0]?.message ?? "", /^% Ambiguous command: {2}"ip inspect name X s"\n/);
  });

  it("reports every bad line and still applies the good ones", () => {
    const { problems, model } = parseConfig(
      ["bogus", "hostname ok", "interface Ethernet0", " ip address 1.2.3", " ip inspect X in"].join(
        "\n",
      ),
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [1, 4],
    );
    assert.equal(model.hostname, "ok");
    assert.equal(model.interfaces[0]?.inspectIn, "X");
  });

  it("ignores what follows end", () => {
    const { problems, model } = parseConfig("hostname a\nend\nhostname b\nnonsense");
    assert.deepEqual(problems, []);
    assert.equal(model.hostname, "a");
  });

  it("never throws, whatever the text", () => {
    const words = fc.constantFrom(
      "ip",
      "inspect",
      "name",
      "no",
      "interface",
      "Ethernet0",
      "access-list",
      "101",
      "permit",
      "tcp",
      "any",
      "host",
      "eq",
      "smtp",
      "nat",
      "inside",
      "source",
      "static",
      "10.0.0.1",
      "255.255.255.0",
      "in",
      "out",
      "line",
      "vty",
      "0",
      "4",
      "password",
      "7",
      "logging",
      "buffered",
      "service",
      "timestamps",
      "max-data",
      "-1",
      "99999999999",
      "controller",
      "end",
      "exit",
      "!",
      "ip address",
      "shutdown",
      "port-map",
      "esmtp",
      "high",
      "low",
      "unlimited",
    );
    const line = fc.tuple(fc.boolean(), fc.array(fc.oneof(words, fc.string()), { maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines
          .map(([indent, parts]) => `${indent ? " " : ""}${parts.join(" ")}`)
          .join("\n");
        const result = parseConfig(text);
        return result.problems.every(
          (problem) => problem.line >= 1 && problem.message.startsWith("%"),
        );
      }),
      { numRuns: 500 },
    );
  });
});
