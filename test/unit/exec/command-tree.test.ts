import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { help, resolve, type CommandNode } from "../../../src/exec/command-tree.js";
import { ok, renderAnswer } from "../../../src/exec/exec-answer.js";

type Node = CommandNode<string[]>;

const record =
  (name: string) =>
  (calls: string[], args: readonly string[]): ReturnType<typeof ok> => {
    calls.push([name, ...args].join(" "));
    return ok();
  };

const TREE: readonly Node[] = [
  {
    word: "show",
    help: "Show running system information",
    children: [
      {
        word: "ip",
        help: "IP information",
        children: [
          {
            word: "inspect",
            help: "CBAC information",
            children: [
              { word: "sessions", help: "Inspection sessions", run: record("sessions") },
              { word: "statistics", help: "Inspection statistics", run: record("statistics") },
              {
                word: "name",
                help: "Inspection name",
                children: [
                  { word: "WORD", help: "Rule", accepts: () => true, run: record("name") },
                ],
              },
            ],
          },
        ],
      },
      { word: "running-config", help: "Current config", privileged: true, run: record("run") },
    ],
  },
  { word: "configure", help: "Enter configuration mode", privileged: true },
  { word: "clear", help: "Reset functions", privileged: true },
];

function command(line: string, level: "user" | "privileged" = "privileged"): string[] {
  const found = resolve(TREE, line, level);
  assert.equal(found.kind, "command", `"${line}" should resolve`);
  const calls: string[] = [];
  void found.node.run?.(calls, found.args);
  return calls;
}

function refusal(line: string, level: "user" | "privileged" = "privileged"): string {
  const found = resolve(TREE, line, level);
  assert.equal(found.kind, "answer", `"${line}" should be refused`);
  return renderAnswer(found.answer, undefined);
}

describe("command tree", () => {
  it("resolves abbreviations where they are unambiguous, in any case", () => {
    assert.deepEqual(command("sh ip insp sess"), ["sessions"]);
    assert.deepEqual(command("SHOW IP INSPECT STAT"), ["statistics"]);
    assert.deepEqual(command("  show   ip inspect name OUT-IN "), ["name OUT-IN"]);
  });

  it("puts the caret under the word it does not know", () => {
    assert.equal(
      refusal("show ip inspct sessions"),
      "show ip inspct sessions\n        ^\n% Invalid input detected at '^' marker.\n\n",
    );
    assert.equal(refusal("show ip inspect sessions extra").split("\n")[1], `${" ".repeat(25)}^`);
  });

  it("says when a command is incomplete or ambiguous", () => {
    assert.equal(refusal("show ip inspect"), "% Incomplete command.\n\n");
    assert.equal(refusal("c"), '% Ambiguous command:  "c"\n');
    assert.equal(refusal("show ip inspect s"), '% Ambiguous command:  "show ip inspect s"\n');
  });

  it("hides privileged commands at the user level", () => {
    assert.match(refusal("show running-config", "user"), /\n {5}\^\n% Invalid input/);
    assert.match(refusal("configure", "user"), /^configure\n\^\n/);
    assert.deepEqual(command("sh run"), ["run"]);
  });

  it("lists the next words with their help, and <cr> where the command may end", () => {
    const answer = help(TREE, "show ip inspect ?", "privileged", "Exec commands:");
    assert.equal(
      answer.text,
      [
        "  sessions    Inspection sessions",
        "  statistics  Inspection statistics",
        "  name        Inspection name",
        "",
        "",
      ].join("\n"),
    );
    const name = help(TREE, "show ip inspect name X ?", "privileged", "Exec commands:");
    assert.equal(name.text, "  <cr>\n\n");
  });

  it("titles the root list and leaves out what the level may not use", () => {
    const answer = help(TREE, "?", "user", "Exec commands:");
    assert.equal(answer.text, "Exec commands:\n  show  Show running system information\n\n");
  });

  it("completes a word being typed", () => {
    assert.equal(help(TREE, "sh ip insp s?", "privileged", "").text, "sessions  statistics\n\n");
    assert.equal(help(TREE, "c?", "privileged", "").text, "configure  clear\n\n");
    assert.equal(help(TREE, "sh ip insp name O?", "privileged", "").text, "WORD\n\n");
    assert.equal(help(TREE, "sh x?", "privileged", "").status, "rejected");
  });
});
