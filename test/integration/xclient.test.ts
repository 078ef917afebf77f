import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { SMTPServer } from "smtp-server";

import { startGateway } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";

/** smtp-server with XCLIENT on: a session's remote address becomes what XCLIENT says. */
function xclientServer(useXClient: boolean): { server: SMTPServer; seen: string[] } {
  const seen: string[] = [];
  const server = new SMTPServer({
    useXClient,
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onMailFrom: (_address, session, callback) => {
      seen.push(session.remoteAddress);
      callback();
    },
  });
  // A client's reset is the server's "error" event; the session just ends.
  server.on("error", () => undefined);
  return { server, seen };
}

async function listen(server: SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  return address !== null && typeof address !== "string" ? address.port : 0;
}

async function mailFrom(port: number): Promise<string> {
  const client = await RawClient.connect(port, "127.0.0.1", "127.0.0.77");
  await client.waitFor(/^220 /m);
  client.write("EHLO client.test\r\n");
  await client.waitFor(/^250 /m);
  client.write("MAIL FROM:<a@example.org>\r\n");
  await client.waitFor(/^250 .*Accepted/m);
  client.write("QUIT\r\n");
  await client.closed;
  return client.text;
}

describe("XCLIENT toward the server (Postfix's, here smtp-server's)", () => {
  const upstream = xclientServer(true);
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    fixture = await startGateway({
      upstreamPort: await listen(upstream.server),
      listener: { xclient: true },
    });
  });
  after(async () => {
    await fixture.gateway.stop();
    await new Promise<void>((resolve) => {
      upstream.server.close(() => {
        resolve();
      });
    });
  });

  it("the server sees the client's own address, and the client sees one greeting", async () => {
    const text = await mailFrom(fixture.port);
    assert.deepEqual(upstream.seen, ["127.0.0.77"]);
    assert.equal(text.match(/^220 /gm)?.length, 1);
    assert.doesNotMatch(text, /XCLIENT/, "the exchange stays between gateway and server");
  });
});

describe("XCLIENT that the server does not offer", () => {
  const upstream = xclientServer(false);
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    fixture = await startGateway({
      upstreamPort: await listen(upstream.server),
      listener: { xclient: true },
    });
  });
  after(async () => {
    await fixture.gateway.stop();
    await new Promise<void>((resolve) => {
      upstream.server.close(() => {
        resolve();
      });
    });
  });

  it("goes on with the first greeting and logs that the server sees the gateway", async () => {
    await mailFrom(fixture.port);
    assert.deepEqual(upstream.seen, ["127.0.0.1"]);
    assert.ok(fixture.logs.some((line) => line.includes("XCLIENT_REFUSED")));
  });
});
