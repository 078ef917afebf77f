import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";

import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { freePort, HaproxyProcess, missingTool } from "../helpers/haproxy.js";
import { ProxyAwareServer } from "../helpers/proxy-aware-server.js";
import { RawClient } from "../helpers/raw-client.js";
import { ScriptServer } from "../helpers/script-server.js";

// Any 127/8 address is the client's own on loopback: HAProxy and the gateway use 127.0.0.1.
const CLIENT = "127.0.0.9";
const trustLoopbackOne = (peer: { address: string }): boolean => peer.address === "127.0.0.1";

async function converse(port: number, from = CLIENT): Promise<RawClient> {
  const client = await RawClient.connect(port, "127.0.0.1", from);
  await client.waitFor(/^220 /);
  client.write("EHLO client.test\r\nQUIT\r\n");
  await client.waitFor(/221 /);
  return client;
}

describe(
  "PROXY toward the server, read by HAProxy (accept-proxy)",
  { skip: missingTool("haproxy") },
  () => {
    const server = new ProxyAwareServer();
    let haproxy: HaproxyProcess;
    const ports = { v1: 0, v2: 0 };

    before(async () => {
      await server.listen();
      ports.v1 = await freePort();
      ports.v2 = await freePort();
      // HAProxy reads the gateway's header, then writes its own toward the test server: the
      // test sees both that HAProxy accepted ours and what HAProxy itself makes.
      haproxy = new HaproxyProcess(`
frontend from_gateway_v1
  bind 127.0.0.1:${ports.v1} accept-proxy
  default_backend to_server_v1
frontend from_gateway_v2
  bind 127.0.0.1:${ports.v2} accept-proxy
  default_backend to_server_v2
backend to_server_v1
  server mail 127.0.0.1:${server.port} send-proxy
backend to_server_v2
  server mail 127.0.0.1:${server.port} send-proxy-v2`);
      await haproxy.ready(ports.v1);
      await haproxy.ready(ports.v2);
    });
    after(async () => {
      await haproxy.stop();
      await server.close();
    });

    for (const version of ["v1", "v2"] as const) {
      it(`HAProxy sees the real client through the gateway's ${version} header`, async () => {
        const fixture = await startGateway({
          upstreamPort: ports[version],
          listener: { proxyToServer: version },
        });
        try {
          const client = await converse(fixture.port);
          client.destroy();
          await haproxy.waitForLog(
            new RegExp(`client=${CLIENT}:\\d+ frontend=from_gateway_${version}`),
          );
          const header = server.headers.at(-1);
          assert.equal(header?.source?.address, CLIENT);
          assert.equal(header.version, version === "v1" ? 1 : 2);
        } finally {
          await fixture.gateway.stop();
        }
      });
    }
  },
);

describe("PROXY from a load balancer", () => {
  const mail = new ScriptServer();
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    await mail.listen();
    fixture = await startGateway({
      upstreamPort: mail.port,
      listener: {
        proxyTrusted: trustLoopbackOne,
        admit: (initiator) => ({
          action: initiator.address === "192.0.2.66" ? "deny" : "permit",
          log: false,
        }),
      },
    });
  });
  after(async () => {
    await fixture.gateway.stop();
    await mail.close();
  });

  it("a trusted peer's header names the client in the table and the logs", async () => {
    const client = await RawClient.connect(fixture.port);
    client.write("PROXY TCP4 192.0.2.7 127.0.0.1 40001 25\r\n");
    await client.waitFor(/^220 /);
    assert.ok(
      fixture.gateway.table.list().some((entry) => entry.initiator.address === "192.0.2.7"),
    );
    client.write("QUIT\r\n");
    await client.waitFor(/221 /);
    await eventually(() =>
      fixture.logs.some((line) => /SESS_AUDIT_TRAIL: .*192\.0\.2\.7:40001/.test(line)),
    );
    assert.doesNotMatch(mail.text, /PROXY/);
  });

  it("the access list judges the real client", async () => {
    const client = await RawClient.connect(fixture.port);
    client.write("PROXY TCP4 192.0.2.66 127.0.0.1 40001 25\r\n");
    assert.deepEqual(await client.closed, { reset: true });
  });

  it("a trusted peer with a bad header is reset", async () => {
    const client = await RawClient.connect(fixture.port);
    client.write("PROXY TCP4 192.0.2.7 127.0.0.1 040001 25\r\n");
    assert.deepEqual(await client.closed, { reset: true });
  });

  it("a trusted peer that says nothing is reset after the header timeout", async () => {
    const quick = await startGateway({
      upstreamPort: mail.port,
      listener: { proxyTrusted: trustLoopbackOne },
    });
    try {
      // The plan's timeout is in seconds; the fixture leaves it at the default, so set it here.
      await quick.gateway.applyPlan({ ...quick.gateway.plan, proxyHeaderTimeoutSeconds: 0.2 });
      const client = await RawClient.connect(quick.port);
      assert.deepEqual(await client.closed, { reset: true });
    } finally {
      await quick.gateway.stop();
    }
  });

  it("an untrusted peer's header is plain SMTP to the inspector: masked", async () => {
    const client = await RawClient.connect(fixture.port, "127.0.0.1", CLIENT);
    await client.waitFor(/^220 /);
    client.write("PROXY TCP4 192.0.2.7 127.0.0.1 40001 25\r\n");
    await client.waitFor(/500 /);
    assert.match(mail.text, /^X{39}\r\n/m);
    client.destroy();
  });
});

describe("PROXY from HAProxy (send-proxy) and swaks (--proxy)", () => {
  const mail = new ScriptServer();
  let fixture: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    await mail.listen();
    fixture = await startGateway({
      upstreamPort: mail.port,
      listener: { proxyTrusted: trustLoopbackOne },
    });
  });
  after(async () => {
    await fixture.gateway.stop();
    await mail.close();
  });

  for (const option of ["send-proxy", "send-proxy-v2"]) {
    it(
      `HAProxy ${option} in front: the gateway logs the real client`,
      { skip: missingTool("haproxy") },
      async () => {
        const port = await freePort();
        const haproxy = new HaproxyProcess(`
frontend clients
  bind 127.0.0.1:${port}
  default_backend gateway
backend gateway
  server gw 127.0.0.1:${fixture.port} ${option}`);
        try {
          await haproxy.ready(port);
          const client = await converse(port);
          client.destroy();
          const pattern = new RegExp(
            `SESS_AUDIT_TRAIL_START: .*initiator \\(${CLIENT.replace(/\./g, "\\.")}:`,
          );
          await eventually(() => fixture.logs.some((line) => pattern.test(line)));
        } finally {
          await haproxy.stop();
        }
      },
    );
  }

  for (const version of ["1", "2"]) {
    it(
      `swaks --proxy-version ${version}: the gateway logs the address swaks claims`,
      { skip: missingTool("swaks", "--version") },
      async () => {
        const args = [
          "--server",
          `127.0.0.1:${fixture.port}`,
          "--to",
          "b@example.org",
          "--from",
          "a@example.org",
          "--proxy-version",
          version,
          "--proxy-source",
          "198.51.100.9",
          "--proxy-source-port",
          "4242",
          "--proxy-dest",
          "127.0.0.1",
          "--proxy-dest-port",
          "25",
          "--timeout",
          "5",
        ];
        args.push("--proxy-family", version === "1" ? "TCP4" : "AF_INET");
        const code = await new Promise((resolve) =>
          spawn("swaks", args, { stdio: "ignore" }).once("exit", resolve),
        );
        assert.equal(code, 0);
        await eventually(() =>
          fixture.logs.some((line) => /SESS_AUDIT_TRAIL: .*198\.51\.100\.9:4242/.test(line)),
        );
      },
    );
  }
});
