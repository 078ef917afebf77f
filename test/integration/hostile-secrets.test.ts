import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { ControlClient } from "../../src/exec/control-client.js";
import { eventually } from "../helpers/gateway-fixture.js";
import { SmtpTalker } from "../helpers/smtp-talker.js";
import {
  ENABLE_PASSWORD,
  VTY_PASSWORD,
  startExecFixture,
  type ExecFixture,
} from "./exec-fixture.js";

const AUTH_USER = "mailuser";
const AUTH_PASSWORD = "Sup3r-Secret-Pw";
const ENABLE_SECRET = "Anoth3r-Secret";

/** The demo server knows no users: it refuses (535), but only after the whole exchange. */
const DONE = new Set([235, 535]);

const base64 = (text: string): string => Buffer.from(text, "latin1").toString("base64");

/** Every form a secret could leak in: plain, and the base64 the SASL exchange carries. */
const LEAKS = [
  AUTH_PASSWORD,
  base64(`\0${AUTH_USER}\0${AUTH_PASSWORD}`),
  base64(AUTH_PASSWORD),
  ENABLE_PASSWORD,
  VTY_PASSWORD,
  ENABLE_SECRET,
];

async function authenticate(fixture: ExecFixture, mechanism: "PLAIN" | "LOGIN"): Promise<void> {
  const talker = await SmtpTalker.open(fixture.mail.port, fixture.mail.address);
  assert.equal((await talker.reply()).code, 220);
  assert.equal((await talker.command("EHLO client.test")).code, 250);
  if (mechanism === "PLAIN") {
    const reply = await talker.command(`AUTH PLAIN ${base64(`\0${AUTH_USER}\0${AUTH_PASSWORD}`)}`);
    assert.ok(DONE.has(reply.code), String(reply.code));
  } else {
    assert.equal((await talker.command("AUTH LOGIN")).code, 334);
    assert.equal((await talker.command(base64(AUTH_USER))).code, 334);
    assert.ok(DONE.has((await talker.command(base64(AUTH_PASSWORD))).code));
  }
  assert.equal((await talker.command("QUIT")).code, 221);
  await talker.closed;
}

describe("secrets stay out of logs, debug output and show output", () => {
  let fixture: ExecFixture;

  before(async () => {
    fixture = await startExecFixture();
  });

  after(async () => {
    await fixture.stop();
  });

  it("AUTH PLAIN and LOGIN under debug ip inspect detailed leave no trace of the password", async () => {
    const client = await ControlClient.connect(fixture.controlPath);
    const debug: string[] = [];
    client.onLine((line) => debug.push(line));
    try {
      await client.request("debug ip inspect detailed");
      await authenticate(fixture, "PLAIN");
      await authenticate(fixture, "LOGIN");
      await eventually(() => debug.filter((line) => /cmd 'AUTH'/.test(line)).length >= 2);
      await eventually(() => fixture.running.gateway.sessionCount === 0);
    } finally {
      client.destroy();
    }

    const [logging] = await fixture.exec("show logging");
    const seen = [...debug, ...fixture.consoleLog, logging?.text ?? ""].join("\n");
    for (const leak of LEAKS) assert.ok(!seen.includes(leak), `leaked: ${leak}`);
  });

  it("show output carries passwords only type-7 encoded, and a secret never", async () => {
    await fixture.exec("configure terminal", `enable secret 0 ${ENABLE_SECRET}`, "end");
    const replies = await fixture.exec(
      "show running-config",
      "show ip inspect all",
      "show logging",
      "show debugging",
    );
    const shown = replies.map((reply) => reply.text).join("\n");
    assert.match(shown, /^ password 7 [0-9A-F]+$/m);
    assert.match(shown, /^enable secret 5 \S+$/m);
    for (const leak of LEAKS) assert.ok(!shown.includes(leak), `leaked: ${leak}`);
  });
});
