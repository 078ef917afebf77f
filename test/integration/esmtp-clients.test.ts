import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";

import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

import { which } from "../helpers/cli.js";
import { startGateway } from "../helpers/gateway-fixture.js";

/** A real ESMTP server (smtp-server) with PIPELINING, SIZE, 8BITMIME, DSN and AUTH. */
class RecordingServer {
  readonly received: { sha256: string; dsn: unknown; size: number }[] = [];
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    size: 10_000_000,
    hideDSN: false,
    logger: false,
    onAuth: (auth, _session, callback) => {
      callback(null, { user: auth.username ?? "user" });
    },
    onData: (stream, session, callback) => {
      const hash = createHash("sha256");
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      stream.on("end", () => {
        this.received.push({ sha256: hash.digest("hex"), dsn: session.envelope.dsn, size });
        callback();
      });
    },
  });

  get port(): number {
    const address = this.server.server.address();
    return address !== null && typeof address !== "string" ? address.port : 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => {
      this.server.listen(0, "127.0.0.1", resolve);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(resolve);
    });
  }
}

function swaks(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile("swaks", [...args], { encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("real ESMTP clients through an esmtp rule", () => {
  const server = new RecordingServer();
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    await server.listen();
    fixture = await startGateway({ upstreamPort: server.port });
  });
  after(async () => {
    await fixture.gateway.stop();
    await server.close();
  });

  it("nodemailer with SIZE and DSN: delivered byte for byte, parameters intact", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: fixture.port,
      ignoreTLS: true,
    });
    const raw = "Subject: dsn\r\nFrom: a@example.org\r\n\r\nwith a delivery notification\r\n";
    await transport.sendMail({
      envelope: { from: "a@example.org", to: ["b@example.org"] },
      raw,
      dsn: {
        id: "envelope-1",
        return: "headers",
        notify: ["success", "failure"],
        recipient: "a@example.org",
      },
    });
    transport.close();
    const last = server.received.at(-1);
    assert.equal(last?.sha256, sha256(raw));
    assert.deepEqual(last.dsn, { ret: "HDRS", envid: "envelope-1" });
    assert.ok(
      !fixture.logs.some((line) => /INVALID_COMMAND|COMMAND_REFUSED/.test(line)),
      fixture.logs.join("\n"),
    );
  });

  const missing = which("swaks") === undefined && "swaks is not installed";
  // swaks ends --data with its own CRLF, so the final dot is given without one.
  const data = "Subject: swaks\r\n\r\nthrough the esmtp rule\r\n.";

  it("swaks --pipeline: the pipelined group passes", { skip: missing }, async () => {
    const before = server.received.length;
    const result = await swaks([
      "--server",
      `127.0.0.1:${fixture.port}`,
      "--from",
      "a@example.org",
      "--to",
      "b@example.org,c@example.org",
      "--pipeline",
      "--no-data-fixup",
      "--data",
      data,
    ]);
    assert.equal(result.code, 0, result.output);
    assert.equal(server.received.length, before + 1);
    assert.equal(server.received.at(-1)?.sha256, sha256(data.slice(0, -1)));
  });

  it("swaks --auth PLAIN and LOGIN: the SASL exchange passes", { skip: missing }, async () => {
    for (const mechanism of ["PLAIN", "LOGIN"]) {
      const result = await swaks([
        "--server",
        `127.0.0.1:${fixture.port}`,
        "--from",
        "a@example.org",
        "--to",
        "b@example.org",
        "--auth",
        mechanism,
        "--auth-user",
        "user",
        "--auth-password",
        "secret",
      ]);
      assert.equal(result.code, 0, result.output);
      assert.match(result.output, /235 /);
    }
    const refused = fixture.logs.filter((line) => /INVALID_COMMAND|COMMAND_REFUSED/.test(line));
    assert.deepEqual(refused, []);
  });

  it(
    "swaks --tls against the default policy: STARTTLS is masked, so swaks gives up",
    { skip: missing },
    async () => {
      const result = await swaks([
        "--server",
        `127.0.0.1:${fixture.port}`,
        "--to",
        "b@example.org",
        "--tls",
      ]);
      assert.notEqual(result.code, 0);
      assert.doesNotMatch(result.output, /STARTTLS\r?\n<- {2}220/);
    },
  );
});
