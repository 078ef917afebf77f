import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";

import type { Gateway } from "../../src/gateway/gateway.js";
import { freePort } from "./exec-fixture.js";
import { eventually, startGateway } from "../helpers/gateway-fixture.js";
import { SmtpTalker } from "../helpers/smtp-talker.js";

/** Short timers, so that a silent server is given up on quickly. */
const TIMERS = { synwaitSeconds: 0.4, finwaitSeconds: 0.4, listener: { idleSeconds: 0.4 } };

type Behaviour = (socket: Socket) => void;

/** A mail server that misbehaves as the test in progress tells it to. */
function faultyServer(current: () => Behaviour): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    current()(socket);
  });
  return { server, sockets };
}

/** Answers each command line with 250, and DATA with 354; then hands content to `onContent`. */
function answering(socket: Socket, onContent?: (socket: Socket) => void): void {
  let inData = false;
  socket.write("220 faulty.test ESMTP\r\n");
  socket.on("data", (chunk: Buffer) => {
    if (inData) {
      onContent?.(socket);
      return;
    }
    for (const line of chunk.toString("latin1").split("\r\n").slice(0, -1)) {
      inData = line === "DATA";
      socket.write(inData ? "354 go ahead\r\n" : "250 ok\r\n");
    }
  });
}

const BEHAVIOURS: Readonly<Record<string, { act: Behaviour; client: string[] }>> = {
  "resets mid-greeting": {
    act: (socket) => {
      socket.write("220-faulty.test half a greet");
      setTimeout(() => socket.resetAndDestroy(), 20);
    },
    client: [],
  },
  "resets mid-command": {
    act: (socket) => {
      socket.write("220 faulty.test ESMTP\r\n");
      socket.once("data", () => socket.resetAndDestroy());
    },
    client: ["EHLO client.test"],
  },
  "resets mid-DATA": {
    act: (socket) => {
      answering(socket, (s) => s.resetAndDestroy());
    },
    client: [
      "EHLO client.test",
      "MAIL FROM:<a@b.test>",
      "RCPT TO:<c@d.test>",
      "DATA",
      "Subject: x",
    ],
  },
  "answers garbage from the start": {
    act: (socket) => {
      socket.write("\u00ff\u0000 not smtp at all\r\nHTTP/1.1 400 Bad Request\r\n", "latin1");
    },
    client: ["EHLO client.test"],
  },
  "answers garbage after its greeting": {
    act: (socket) => {
      socket.write("220 faulty.test ESMTP\r\n");
      socket.on("data", () => socket.write("what?\r\n\u00fe\u00fe\r\n", "latin1"));
    },
    client: ["EHLO client.test"],
  },
  "never speaks": { act: () => undefined, client: ["EHLO client.test"] },
  "goes silent after its greeting": {
    act: (socket) => socket.write("220 faulty.test ESMTP\r\n"),
    client: ["EHLO client.test"],
  },
  "goes silent mid-DATA": {
    act: (socket) => {
      answering(socket);
    },
    client: [
      "EHLO client.test",
      "MAIL FROM:<a@b.test>",
      "RCPT TO:<c@d.test>",
      "DATA",
      "Subject: x",
    ],
  },
};

/** What the client saw: replies it read, and how the connection ended. */
async function outcomeOf(port: number, lines: readonly string[]): Promise<string> {
  const talker = await SmtpTalker.open(port);
  for (const line of lines) talker.write(`${line}\r\n`);
  const { reset } = await talker.closed;
  return reset ? "reset" : "closed";
}

describe("server faults: the client gets a 4xx or a close, the audit trail and table agree", () => {
  let behaviour: Behaviour = () => undefined;
  const faulty = faultyServer(() => behaviour);
  let gateway: Gateway;
  let port = 0;
  let logs: string[] = [];

  before(async () => {
    await new Promise<void>((resolve) => faulty.server.listen(0, "127.0.0.1", resolve));
    const address = faulty.server.address();
    const upstreamPort = address !== null && typeof address !== "string" ? address.port : 0;
    ({ gateway, port, logs } = await startGateway({ upstreamPort, ...TIMERS }));
  });

  after(async () => {
    await gateway.stop();
    for (const socket of faulty.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      faulty.server.close(() => {
        resolve();
      }),
    );
  });

  for (const [name, { act, client }] of Object.entries(BEHAVIOURS)) {
    it(`a server that ${name}`, async () => {
      behaviour = act;
      const stops = logs.filter((line) => line.includes("SESS_AUDIT_TRAIL: Stop")).length;
      const started = Date.now();

      const outcome = await outcomeOf(port, client);

      // Every fault ends in a reset toward the client: the gateway never leaves it hanging.
      assert.equal(outcome, "reset");
      // The slowest way out is a timer: synwait or idle, 0.4 s here.
      assert.ok(Date.now() - started < 3_000, `${name}: ended in time`);
      await eventually(() => gateway.sessionCount === 0);
      assert.equal(gateway.table.list().length, 0);
      await eventually(
        () => logs.filter((line) => line.includes("SESS_AUDIT_TRAIL: Stop")).length === stops + 1,
      );
    });
  }

  it("a server that refuses connections: 421 to the client, logged, table empty", async () => {
    const closedPort = await freePort("127.0.0.1");
    const refused = await startGateway({ upstreamPort: closedPort, ...TIMERS });
    try {
      const talker = await SmtpTalker.open(refused.port);
      const reply = await talker.reply();
      assert.equal(reply.code, 421);
      await talker.closed;
      await eventually(() => refused.gateway.sessionCount === 0);
      assert.ok(refused.logs.some((line) => line.includes("%FW-4-SERVER_UNREACHABLE")));
      assert.ok(refused.logs.some((line) => line.includes("SESS_AUDIT_TRAIL: Stop")));
    } finally {
      await refused.gateway.stop();
    }
  });
});
