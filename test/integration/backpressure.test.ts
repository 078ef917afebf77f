import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { describe, it } from "node:test";

import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { RawClient } from "../helpers/raw-client.js";

/** Octets the flooding side tries to push; far more than any socket buffer holds. */
const FLOOD_OCTETS = 64 * 1024 * 1024;
/** What may sit in the gateway and the kernel buffers while a reader does not read. */
const BOUND_OCTETS = 16 * 1024 * 1024;

/** A server that greets, then writes reply lines as fast as the gateway will take them. */
async function floodingServer(): Promise<{
  port: number;
  written: () => number;
  close: () => void;
}> {
  let written = 0;
  const sockets: Socket[] = [];
  const line = Buffer.from(`250-${"x".repeat(1019)}\r\n`);
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
    socket.write("220 flood ESMTP\r\n");
    const pump = (): void => {
      while (written < FLOOD_OCTETS) {
        written += line.length;
        if (!socket.write(line)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = address !== null && typeof address !== "string" ? address.port : 0;
  return {
    port,
    written: () => written,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe("backpressure", () => {
  for (const protocol of ["esmtp", "tcp"] as const) {
    it(`a client that never reads does not make the gateway buffer (${protocol} rule)`, async () => {
      const flood = await floodingServer();
      const { gateway, port } = await startGateway({
        upstreamPort: flood.port,
        listener:
          protocol === "tcp"
            ? { protocol: "tcp", policy: undefined }
            : { policy: { protocol: "esmtp", maxData: 20_000_000 } },
      });
      const client = await RawClient.connect(port);
      client.socket.pause();
      await eventually(() => (gateway.table.list()[0]?.responderBytes ?? 0) > 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const relayed = gateway.table.list()[0]?.responderBytes ?? 0;
      assert.ok(relayed < BOUND_OCTETS, `relayed ${relayed} octets to a client that reads nothing`);
      assert.ok(flood.written() < FLOOD_OCTETS, "the server was made to wait");
      client.destroy();
      await gateway.stop();
      flood.close();
    });
  }
});
