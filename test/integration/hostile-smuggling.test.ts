import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Gateway } from "../../src/gateway/gateway.js";
import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { PermissiveServer } from "../helpers/permissive-server.js";
import { SmtpTalker, delay } from "../helpers/smtp-talker.js";

/** The end-of-data look-alikes of the 2023 SMTP smuggling research, by name. */
const VARIANTS: Readonly<Record<string, string>> = {
  "LF.LF": "\n.\n",
  "LF.CRLF": "\n.\r\n",
  "CRLF.LF": "\r\n.\n",
  "CR.CR": "\r.\r",
  "CR.CRLF": "\r.\r\n",
  "CRLF.CR": "\r\n.\r",
  "CRLF NUL.CRLF": "\r\n\0.\r\n",
};

const SMUGGLED =
  "MAIL FROM:<ceo@victim.test>\r\nRCPT TO:<staff@victim.test>\r\nDATA\r\n" +
  "Subject: smuggled\r\n\r\npay this invoice\r\n.\r\n";

/** The content of the attacking message: a look-alike with a smuggled transaction behind it. */
function attack(variant: string, stuffedBefore: boolean): { content: Buffer; at: number } {
  const head = "Subject: innocent\r\n\r\nline one" + (stuffedBefore ? "\r\n..stuffed" : "");
  const text = head + variant + SMUGGLED + "the rest\r\n.\r\n";
  return { content: Buffer.from(text, "latin1"), at: head.length };
}

/** Opens a session and sends one legitimate message; returns the talker at a fresh DATA. */
async function afterOneMessage(port: number): Promise<SmtpTalker> {
  const talker = await SmtpTalker.open(port);
  assert.equal((await talker.reply()).code, 220);
  assert.equal((await talker.command("EHLO attacker.test")).code, 250);
  for (const round of ["legit", "attack"]) {
    assert.equal((await talker.command("MAIL FROM:<a@attacker.test>")).code, 250);
    assert.equal((await talker.command("RCPT TO:<b@victim.test>")).code, 250);
    assert.equal((await talker.command("DATA")).code, 354);
    if (round === "legit") {
      assert.equal((await talker.command("Subject: legit\r\n\r\nhello\r\n.")).code, 250);
    }
  }
  return talker;
}

describe("SMTP smuggling over sockets, into a server that accepts every look-alike", () => {
  const server = new PermissiveServer();
  let gateway: Gateway;
  let port = 0;
  let logs: string[] = [];
  const smugglingLines = (): number =>
    logs.filter((line) => line.includes("%FW-4-SMTP_SMUGGLING")).length;

  before(async () => {
    await server.listen();
    ({ gateway, port, logs } = await startGateway({ upstreamPort: server.port }));
  });

  after(async () => {
    await gateway.stop();
    await server.close();
  });

  it("the test server is really vulnerable: straight to it, each look-alike smuggles", async () => {
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const before = server.messages.length;
      const talker = await afterOneMessage(server.port);
      talker.write(attack(variant, false).content);
      talker.write("QUIT\r\n");
      await talker.closed;
      const smuggled = server.messages.slice(before).filter((m) => m.includes("pay this"));
      assert.equal(smuggled.length, 1, name);
    }
    server.messages.length = 0;
  });

  for (const [name, variant] of Object.entries(VARIANTS)) {
    for (const stuffedBefore of [false, true]) {
      const label = `${name}${stuffedBefore ? " after a dot-stuffed line" : ""}`;
      it(`${label}, split at every position around it: reset, no second message`, async () => {
        const { content, at } = attack(variant, stuffedBefore);
        for (let cut = at - 2; cut <= at + variant.length + 2; cut++) {
          const before = server.messages.length;
          const logged = smugglingLines();
          const talker = await afterOneMessage(port);
          talker.write(content.subarray(0, cut));
          // Apart in time, so that the gateway reads them as two segments.
          await delay(3);
          talker.write(content.subarray(cut));
          const { reset } = await talker.closed;

          assert.equal(reset, true, `${label} cut ${String(cut)}: the client is reset`);
          assert.doesNotMatch(talker.unread, /^250/m, `${label} cut ${String(cut)}`);
          await eventually(() => gateway.sessionCount === 0);
          // Only the legitimate first message reached the server, never the smuggled one.
          assert.deepEqual(server.messages.slice(before), ["Subject: legit\r\n\r\nhello"]);
          assert.equal(smugglingLines(), logged + 1, `${label} cut ${String(cut)}: logged`);
        }
      });
    }
  }
});
