import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { replay } from "../../../src/cli/replay.js";
import { parseTranscript } from "../../../src/cli/transcript.js";
import { defaultEsmtpPolicy, defaultPolicy } from "../../../src/inspect/policy.js";

/** The real conversations of ../shared/corpus, read in place and never copied here. */
const CORPUS = join(import.meta.dirname, "../../../../shared/corpus");
const TRANSCRIPTS = join(CORPUS, "transcripts");

interface Case {
  readonly name: string;
  readonly text: string;
  /** INDEX.md's "Gateway should" column. */
  readonly should: string;
}

function loadCases(): Case[] {
  const index = readFileSync(join(CORPUS, "INDEX.md"), "utf8").split("\n");
  return readdirSync(TRANSCRIPTS)
    .filter((file) => file.endsWith(".txt"))
    .map((file) => {
      const name = file.slice(0, -4);
      const row = index.find((line) => line.startsWith(`| \`${name}\``));
      return {
        name,
        text: readFileSync(join(TRANSCRIPTS, file), "latin1"),
        should: row?.split(" | ")[5] ?? "",
      };
    });
}

/** The bytes of the C (or S) lines of a transcript or of replay's output. */
function bytesFrom(lines: string[] | string, from: "client" | "server"): Buffer {
  const text = Array.isArray(lines) ? lines.filter((l) => /^[CS][:+]/.test(l)).join("\n") : lines;
  const segments = parseTranscript(text).filter((segment) => segment.from === from);
  return Buffer.concat(segments.map((segment) => segment.bytes));
}

const present = existsSync(TRANSCRIPTS);
if (!present) console.log(`# skipped: the corpus is not at ${TRANSCRIPTS}`);

describe("the shared corpus of real conversations", { skip: !present && "no corpus" }, () => {
  const cases = present ? loadCases() : [];

  it("holds the 69 conversations INDEX.md describes", () => {
    assert.equal(cases.length, 69);
  });

  for (const { name, text, should } of cases) {
    const client = bytesFrom(text, "client").toString("latin1");
    const startTls = /^STARTTLS/im.test(client);
    const pass = should.startsWith("pass");
    // A conversation that passes through STARTTLS is judged under a policy that allows it;
    // the default (masked) would rewrite it, as intended.
    const policy = startTls
      ? { ...defaultPolicy("esmtp"), esmtp: { ...defaultEsmtpPolicy(), tls: "allow" as const } }
      : defaultPolicy("esmtp");

    it(`${name}: replays without throwing${pass ? ", client bytes unchanged" : ""}`, () => {
      const output = replay(parseTranscript(text), { policy });
      if (pass) {
        assert.deepEqual(bytesFrom(output, "client"), bytesFrom(text, "client"));
        assert.ok(!output.some((line) => line.startsWith("# session reset")));
      }
    });
  }
});
