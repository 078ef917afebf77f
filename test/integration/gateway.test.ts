import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";

import nodemailer from "nodemailer";

import { DemoMailServer } from "../../src/demo/demo-server.js";
import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";
import { ScriptServer } from "../helpers/script-server.js";

/** A message of random text lines, with dot lines and long lines, CRLF-ended. */
function randomMessage(seed: number): Buffer {
  const lines = [`Subject: test ${seed}`, "From: a@example.org", "To: b@example.org", ""];
  const count = 5 + (seed % 40);
  for (let n = 0; n < count; n++) {
    const kind = (seed + n) % 5;
    if (kind === 0) lines.push(".");
    else if (kind === 1) lines.push(`.starts with a dot ${n}`);
    else if (kind === 2) lines.push(randomBytes(300).toString("base64"));
    else lines.push(`line ${n} of message ${seed}`);
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

describe("gateway with a real client and a real server", () => {
  const mailServer = new DemoMailServer({ host: "127.0.0.1", port: 0 });
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    await mailServer.listen();
    fixture = await startGateway({ upstreamPort: mailServer.port });
  });
  after(async () => {
    await fixture.gateway.stop();
    await mailServer.close();
  });

  it("relays nodemailer's messages byte for byte (hashes equal at the server)", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: fixture.port,
      secure: false,
      ignoreTLS: true,
      pool: false,
    });
    const sent: string[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const raw = randomMessage(seed);
      sent.push(sha256(raw));
      await transport.sendMail({
        envelope: { from: "a@example.org", to: ["b@example.org"] },
        raw,
      });
    }
    transport.close();
    const received = mailServer.messages.slice(-20).map((message) => message.sha256);
    assert.deepEqual(received, sent);
    await eventually(() => fixture.gateway.table.size === 0);
  });
});

describe("gateway policy over real sockets", () => {
  const server = new ScriptServer();
  before(async () => {
    await server.listen();
  });
  after(async () => {
    await server.close();
  });

  it("masks an illegal command: the server sees X's, the client its 500", async () => {
    const { gateway, port, logs } = await startGateway({
      upstreamPort: server.port,
      listener: { protocol: "smtp", policy: { protocol: "smtp", maxData: 20_000_000 } },
    });
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    client.write("HELO client.example.org\r\n");
    await client.waitFor(/250 ok\r\n/);
    client.write("EXPN staff\r\n");
    await client.waitFor(/500 5\.5\.2/);
    assert.ok(server.text.includes("\r\nXXXXXXXXXX\r\n"));
    assert.ok(!server.text.includes("EXPN"));
    client.write("QUIT\r\n");
    await client.closed;
    await eventually(() => gateway.table.size === 0);
    assert.ok(logs.some((line) => line.startsWith("%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP")));
    await gateway.stop();
  });

  it("writes the audit trail with the bytes each way", async () => {
    const { gateway, port, logs } = await startGateway({ upstreamPort: server.port });
    const client = await RawClient.connect(port);
    const local = `127.0.0.1:${client.socket.localPort ?? 0}`;
    await client.waitFor(/^220 /);
    client.write("HELO c\r\nQUIT\r\n");
    await client.closed;
    await eventually(() => logs.some((line) => line.includes("SESS_AUDIT_TRAIL:")));
    const start = logs.find((line) => line.includes("SESS_AUDIT_TRAIL_START"));
    assert.equal(
      start,
      `%FW-6-SESS_AUDIT_TRAIL_START: Start esmtp session: initiator (${local}) -- responder (127.0.0.1:${port})`,
    );
    const sentByClient = "HELO c\r\nQUIT\r\n".length;
    const sentByServer = client.text.length;
    assert.ok(
      logs.includes(
        `%FW-6-SESS_AUDIT_TRAIL: Stop esmtp session: initiator (${local}) sent ${sentByClient} bytes` +
          ` -- responder (127.0.0.1:${port}) sent ${sentByServer} bytes`,
      ),
      logs.join("\n"),
    );
    await gateway.stop();
  });

  it("denies a source by access list: closed at once and logged", async () => {
    const { gateway, port, logs } = await startGateway({
      upstreamPort: server.port,
      listener: { admit: () => ({ action: "deny", log: true, list: "101" }) },
    });
    const socket = connect({ port, host: "127.0.0.1" });
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const code = await new Promise<string | undefined>((resolve) => {
      let errorCode: string | undefined;
      socket.on("error", (error: NodeJS.ErrnoException) => (errorCode = error.code));
      socket.on("close", () => {
        resolve(errorCode);
      });
    });
    assert.equal(code, "ECONNRESET");
    assert.equal(Buffer.concat(received).length, 0);
    await eventually(() => logs.length > 0);
    assert.match(
      logs[0] ?? "",
      /^%SEC-6-IPACCESSLOGP: list 101 denied tcp 127\.0\.0\.1\(\d+\) -> /,
    );
    assert.equal(gateway.table.counts.created, 0);
    await gateway.stop();
  });

  it("resets a session whose content passes max-data and logs it", async () => {
    const { gateway, port, logs } = await startGateway({
      upstreamPort: server.port,
      listener: { policy: { protocol: "esmtp", maxData: 1000 } },
    });
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    client.write("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
    await client.waitFor(/354 /);
    client.write(`Subject: big\r\n\r\n${"x".repeat(78)}\r\n`.repeat(30) + ".\r\n");
    const { reset } = await client.closed;
    assert.equal(reset, true);
    assert.ok(
      logs.some((line) => line.includes("SMTP_MAX_DATA_EXCEEDED: Maximum data length (1000)")),
    );
    await eventually(() => gateway.table.size === 0);
    await gateway.stop();
  });

  it("answers 421 when the server cannot be reached, and logs it", async () => {
    const closedPort = await unusedPort();
    const { gateway, port, logs } = await startGateway({ upstreamPort: closedPort });
    const client = await RawClient.connect(port);
    await client.closed;
    assert.match(client.text, /^421 gw\.test Service not available/);
    assert.ok(
      logs.some((line) => line.includes("SERVER_UNREACHABLE") && line.includes("ECONNREFUSED")),
    );
    await eventually(() => gateway.table.size === 0);
    await gateway.stop();
  });

  it("ends a half-open session after synwait-time", async () => {
    const silent = new ScriptServer({ silent: true });
    await silent.listen();
    const { gateway, port } = await startGateway({ upstreamPort: silent.port, synwaitSeconds: 1 });
    const client = await RawClient.connect(port);
    await eventually(() => gateway.table.list()[0]?.state === "SIS_OPENING");
    const { reset } = await client.closed;
    assert.equal(reset, true);
    await eventually(() => gateway.table.size === 0);
    await gateway.stop();
    await silent.close();
  });

  it("ends an idle session after the rule's timeout", async () => {
    const { gateway, port } = await startGateway({
      upstreamPort: server.port,
      listener: { idleSeconds: 1 },
    });
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    await eventually(() => gateway.table.list()[0]?.state === "SIS_OPEN");
    const { reset } = await client.closed;
    assert.equal(reset, true);
    await gateway.stop();
  });

  it("honours a half-close: the client's FIN passes and the server may still answer", async () => {
    const { gateway, port } = await startGateway({ upstreamPort: server.port });
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    client.write("NOOP\r\n");
    client.end();
    await client.closed;
    assert.match(client.text, /250 ok\r\n$/);
    await eventually(() => gateway.table.size === 0);
    await gateway.stop();
  });

  it("relays a generic tcp rule without inspection", async () => {
    const { gateway, port } = await startGateway({
      upstreamPort: server.port,
      listener: { protocol: "tcp", policy: undefined },
    });
    const client = await RawClient.connect(port);
    await client.waitFor(/^220 /);
    client.write("EXPN staff\r\nQUIT\r\n");
    await client.closed;
    assert.ok(server.text.includes("EXPN staff\r\n"));
    await gateway.stop();
  });
});

async function unusedPort(): Promise<number> {
  const probe = new ScriptServer();
  await probe.listen();
  const port = probe.port;
  await probe.close();
  return port;
}
