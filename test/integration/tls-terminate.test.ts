import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";

import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

import { defaultEsmtpPolicy } from "../../src/inspect/policy.js";
import { which } from "../helpers/cli.js";
import { startGateway } from "../helpers/gateway-fixture.js";

/** A self-signed certificate made for this run (openssl, from Debian). */
function makeCertificate(): { cert: Buffer; key: Buffer } {
  const directory = mkdtempSync(join(tmpdir(), "smtpguard-tls-"));
  const cert = join(directory, "cert.pem");
  const key = join(directory, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
    ],
    { stdio: "ignore" },
  );
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** Reads until the text received matches; bounded in time. */
async function until(received: { text: string }, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!pattern.test(received.text)) {
    if (Date.now() > deadline)
      throw new Error(`no ${String(pattern)} in ${JSON.stringify(received.text)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const missing = which("openssl") === undefined && "openssl is not installed";

/** swaks speaks TLS only with Net::SSLeay (Debian libnet-ssleay-perl). */
function swaksTls(): string | false {
  if (which("swaks") === undefined) return "swaks is not installed";
  const support = execFileSync("swaks", ["--support"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return /=== TLS supported/.test(support) ? false : "swaks has no TLS (libnet-ssleay-perl)";
}

describe(
  "STARTTLS terminated by the gateway: TLS on both legs, inspection inside",
  { skip: missing },
  () => {
    const credentials =
      missing === false ? makeCertificate() : { cert: Buffer.alloc(0), key: Buffer.alloc(0) };
    const received: { sha256: string; secure: boolean }[] = [];
    const server = new SMTPServer({
      ...credentials,
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        const hash = createHash("sha256");
        stream.on("data", (chunk: Buffer) => hash.update(chunk));
        stream.on("end", () => {
          received.push({ sha256: hash.digest("hex"), secure: session.secure });
          callback();
        });
      },
    });
    let fixture: Awaited<ReturnType<typeof startGateway>>;

    before(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.server.address();
      const port = address !== null && typeof address !== "string" ? address.port : 0;
      fixture = await startGateway({
        upstreamPort: port,
        listener: {
          policy: {
            protocol: "esmtp",
            maxData: 20_000_000,
            esmtp: { ...defaultEsmtpPolicy(), tls: "terminate" },
          },
          tls: credentials,
        },
      });
    });
    after(async () => {
      await fixture.gateway.stop();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    });

    it("nodemailer with requireTLS: the message arrives byte for byte over TLS", async () => {
      const transport = nodemailer.createTransport({
        host: "127.0.0.1",
        port: fixture.port,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
      });
      const raw = "Subject: tls\r\nFrom: a@example.org\r\n\r\nthrough TLS on both legs\r\n";
      await transport.sendMail({ envelope: { from: "a@example.org", to: ["b@example.org"] }, raw });
      transport.close();
      assert.deepEqual(received.at(-1), {
        sha256: createHash("sha256").update(raw).digest("hex"),
        secure: true,
      });
      assert.ok(
        fixture.logs.some((line) => /SMTP_TLS_STARTED: .*inspection continues$/.test(line)),
      );
    });

    it("goes on inspecting inside TLS: an illegal command is still masked", async () => {
      const plain = connect({ host: "127.0.0.1", port: fixture.port });
      const before = { text: "" };
      plain.on("data", (chunk: Buffer) => (before.text += chunk.toString("latin1")));
      await until(before, /^220 /);
      plain.write("EHLO client.test\r\n");
      await until(before, /^250 /m);
      assert.match(before.text, /^250[- ]STARTTLS\r$/m);
      plain.write("STARTTLS\r\n");
      await until(before, /^220 .*\r\n$/m);
      plain.removeAllListeners("data");

      const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
      const inside = { text: "" };
      secure.on("data", (chunk: Buffer) => (inside.text += chunk.toString("latin1")));
      await new Promise<void>((resolve) => secure.once("secureConnect", resolve));
      secure.write("EHLO client.test\r\n");
      await until(inside, /^250 /m);
      assert.doesNotMatch(inside.text, /STARTTLS/, "no second STARTTLS is offered inside TLS");
      secure.write("WIZ\r\n");
      await until(inside, /^5\d\d /m);
      secure.end("QUIT\r\n");
      assert.ok(fixture.logs.some((line) => line.includes("SMTP_INVALID_COMMAND")));
    });

    it("swaks --tls gets its message through", { skip: swaksTls() }, async () => {
      const count = received.length;
      const code = await new Promise<number | null>((resolve) => {
        execFile(
          "swaks",
          ["--server", `127.0.0.1:${fixture.port}`, "--to", "b@example.org", "--tls"],
          { timeout: 20_000 },
          (error) => {
            resolve(error === null ? 0 : typeof error.code === "number" ? error.code : null);
          },
        );
      });
      assert.equal(code, 0);
      assert.equal(received.length, count + 1);
      assert.equal(received.at(-1)?.secure, true);
    });
  },
);

describe(
  "STARTTLS allowed (ASA allow-tls): TLS passes through, inspection stops",
  { skip: missing },
  () => {
    const credentials =
      missing === false ? makeCertificate() : { cert: Buffer.alloc(0), key: Buffer.alloc(0) };
    const secureSessions: boolean[] = [];
    const server = new SMTPServer({
      ...credentials,
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on("end", () => {
          secureSessions.push(session.secure);
          callback();
        });
      },
    });
    let fixture: Awaited<ReturnType<typeof startGateway>>;

    before(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.server.address();
      const port = address !== null && typeof address !== "string" ? address.port : 0;
      const esmtp = { ...defaultEsmtpPolicy(), tls: "allow" as const };
      fixture = await startGateway({
        upstreamPort: port,
        listener: { policy: { protocol: "esmtp", maxData: 20_000_000, esmtp } },
      });
    });
    after(async () => {
      await fixture.gateway.stop();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    });

    it("swaks --tls reaches the server's own TLS", { skip: swaksTls() }, async () => {
      const code = await new Promise<number | null>((resolve) => {
        execFile(
          "swaks",
          ["--server", `127.0.0.1:${fixture.port}`, "--to", "b@example.org", "--tls"],
          { timeout: 20_000 },
          (error) => {
            resolve(error === null ? 0 : typeof error.code === "number" ? error.code : null);
          },
        );
      });
      assert.equal(code, 0);
      assert.deepEqual(secureSessions, [true]);
      assert.ok(fixture.logs.some((line) => /SMTP_TLS_STARTED: .*inspection stops$/.test(line)));
    });
  },
);
