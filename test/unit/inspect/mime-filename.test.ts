import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { MimeFilenameWatch } from "../../../src/inspect/mime-filename.js";
import { cutsAt } from "../../helpers/conversation.js";

function tooLong(text: string, limit: number, cuts: number[] = []): boolean {
  const watch = new MimeFilenameWatch(limit);
  return cutsAt(cuts)(Buffer.from(text, "latin1")).some((piece) =>
    watch.tooLong(piece, 0, piece.length),
  );
}

describe("MIME file names", () => {
  const short = 'Content-Disposition: attachment; filename="report.pdf"\r\n';
  const long = `Content-Type: application/pdf; name="${"a".repeat(300)}.pdf"\r\n`;
  const bare = `Content-Disposition: attachment; filename=${"b".repeat(260)}\r\n`;

  it("finds names over the limit, quoted or not, and passes short ones", () => {
    assert.equal(tooLong(short, 255), false);
    assert.equal(tooLong(long, 255), true);
    assert.equal(tooLong(bare, 255), true);
    assert.equal(tooLong(`username=${"c".repeat(400)}\r\n`, 255), false, "not a MIME parameter");
  });

  it("gives the same answer however the content is split", () => {
    fc.assert(
      fc.property(fc.constantFrom(short, long, bare), fc.array(fc.nat()), (text, cuts) => {
        assert.equal(tooLong(text, 255, cuts), tooLong(text, 255));
      }),
      { plugins: [fc.interruptAfterTimeLimit(1_000)], numRuns: 5_000 },
    );
  });
});
