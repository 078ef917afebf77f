import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { startExecFixture, type ExecFixture } from "./exec-fixture.js";

/** Lines that `configure terminal` must refuse, one per command family. */
const INVALID = [
  ["ip inspect name OUT-IN esmtp max-data abc"],
  ["ip inspect tcp synwait-time 0"],
  ["interface Ethernet2/0", " ip address 127.22.9.1 255.255.255.999", "exit"],
  ["interface Ethernet2/0", " ip access-group 101 sideways", "exit"],
  ["access-list 101 permit tcp any host 127.22.9.999"],
  ["ip nat inside source static tcp 127.0.0.1 99999 127.22.9.110 25"],
  ["logging buffered abc"],
  ["enable password 7 QQ"],
  ["line vty 0 1", " password 7 not-hex!", "exit"],
  ["ip inspect metrics 127.0.0.1 99999"],
];

describe("configure terminal: an invalid change leaves the running configuration as it was", () => {
  let fixture: ExecFixture;

  before(async () => {
    fixture = await startExecFixture();
  });

  after(async () => {
    await fixture.stop();
  });

  for (const lines of INVALID) {
    it(lines.join(" / "), async () => {
      const [before] = await fixture.exec("show running-config");
      const replies = await fixture.exec("configure terminal", ...lines, "end");
      const [afterwards] = await fixture.exec("show running-config");

      assert.ok(
        replies.some((reply) => reply.status === "rejected" && /^%|\^/m.test(reply.text)),
        JSON.stringify(replies),
      );
      assert.equal(afterwards?.text, before?.text);
    });
  }

  it("the rule in force is still the one the file gave", async () => {
    const [running] = await fixture.exec("show running-config");
    assert.match(running?.text ?? "", /^ip inspect name OUT-IN esmtp$/m);
  });
});
