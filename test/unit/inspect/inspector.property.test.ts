import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { readVerb } from "../../../src/smtp/command-line.js";
import {
  MAX_AUTH_LINE_OCTETS,
  MAX_HELD_CLIENT_OCTETS,
  MAX_HELD_REPLY_OCTETS,
} from "../../../src/smtp/limits.js";
import { LEGAL_VERBS, type InspectProtocol } from "../../../src/inspect/policy.js";
import { converse, cutsAt, sent, type Step } from "../../helpers/conversation.js";

/** Each property runs for at most this long inside `npm test`. */
const TIME_BUDGET_MS = 3_000;
const settings = { plugins: [fc.interruptAfterTimeLimit(TIME_BUDGET_MS)], numRuns: 100_000 };

const client = (text: string): Step => ({ from: "client", bytes: Buffer.from(text, "latin1") });
const server = (text: string): Step => ({ from: "server", bytes: Buffer.from(text, "latin1") });

const word = fc.stringMatching(/^[a-z0-9.-]{1,20}$/);
const textLine = fc.stringMatching(/^[\x20-\x7e\t]{0,120}$/);

/** Content lines as a client writes them: any text, with a leading dot doubled. */
const content = fc
  .array(fc.oneof(textLine, fc.constant("."), fc.constant("..x")), { maxLength: 30 })
  .map((lines) => lines.map((line) => (line.startsWith(".") ? `.${line}` : line)));

/** The EHLO exchange an esmtp conversation starts with: every inspected extension offered. */
const EHLO_ALL: Step[] = [
  client("EHLO client.example.org\r\n"),
  server(
    "250-mail\r\n250-SIZE\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-AUTH PLAIN\r\n" +
      "250-DSN\r\n250-ETRN\r\n250 SMTPUTF8\r\n",
  ),
];

/**
 * Commands outside a transaction, with arguments each one accepts. (An accepted HELO would
 * withdraw the extensions EHLO offered, so an esmtp conversation keeps to its EHLO.)
 */
function standaloneCommand(protocol: InspectProtocol): fc.Arbitrary<Step[]> {
  const outside = [
    "DATA",
    "AUTH",
    "MAIL",
    "RCPT",
    "EHLO",
    ...(protocol === "esmtp" ? ["HELO"] : []),
  ];
  const verbs = [...LEGAL_VERBS[protocol]].filter((verb) => !outside.includes(verb));
  return fc.tuple(fc.constantFrom(...verbs), word, fc.boolean()).map(([verb, argument, lower]) => {
    const line = `${verb} ${verb === "ETRN" ? "example.org" : argument}\r\n`;
    return [client(lower ? line.toLowerCase() : line), server("250 ok\r\n")];
  });
}

function legalExchange(protocol: InspectProtocol): fc.Arbitrary<Step[]> {
  const transaction = fc.tuple(word, content, fc.boolean()).map(([who, lines, pipelined]) => {
    const envelope = `MAIL FROM:<${who}@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n`;
    const body = lines.map((line) => `${line}\r\n`).join("") + ".\r\n";
    const replies = server("250 ok\r\n250 ok\r\n354 go\r\n");
    return pipelined
      ? [client(envelope + body), replies, server("250 queued\r\n")]
      : [client(envelope), replies, client(body), server("250 queued\r\n")];
  });
  const groups = fc.array(fc.oneof(standaloneCommand(protocol), transaction), { maxLength: 8 });
  return groups.map((steps) => [...(protocol === "esmtp" ? EHLO_ALL : []), ...steps.flat()]);
}

const conversation = fc.constantFrom<InspectProtocol>("smtp", "esmtp").chain((protocol) =>
  fc.record({
    protocol: fc.constant(protocol),
    steps: legalExchange(protocol).map((steps) => [server("220 mail ESMTP\r\n"), ...steps]),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  }),
);

describe("inspector properties", () => {
  it("leaves any legal conversation untouched, however it is segmented", () => {
    fc.assert(
      fc.property(conversation, ({ protocol, steps, cuts }) => {
        const outcome = converse(steps, { protocol, maxData: 20_000_000 }, cutsAt(cuts));
        assert.deepEqual(outcome.server, sent(steps, "client"));
        assert.deepEqual(outcome.client, sent(steps, "server"));
        assert.equal(outcome.resets.length, 0);
        assert.equal(outcome.events.filter((e) => e.type === "invalid-command").length, 0);
      }),
      settings,
    );
  });

  const smtpish = fc.oneof(
    fc.constantFrom("HELO", "EHLO", "MAIL", "RCPT", "DATA", "AUTH", "EXPN", "WIZ", "STARTTLS"),
    fc.constantFrom(" ", "\t", "\r\n", "\n", "\r", ".", "\x00", ":<a@b>", "354 ", "334 "),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  );
  const anyStep = fc
    .tuple(fc.boolean(), fc.array(smtpish, { maxLength: 12 }))
    .map(([fromClient, parts]): Step =>
      fromClient ? client(parts.join("")) : server(parts.join("")),
    );

  it("never throws and never buffers past its bounds, whatever arrives", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<InspectProtocol>("smtp", "esmtp"),
        fc.array(anyStep, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (protocol, steps, cuts) => {
          const outcome = converse(steps, { protocol, maxData: 1_000 }, cutsAt(cuts));
          const buffered = outcome.inspector.bufferedOctets;
          assert.ok(buffered.partialLine <= MAX_AUTH_LINE_OCTETS);
          assert.ok(buffered.heldClient <= MAX_HELD_CLIENT_OCTETS);
          assert.ok(buffered.partialReply <= MAX_HELD_REPLY_OCTETS);
          assert.ok(buffered.dataTail <= 2);
        },
      ),
      settings,
    );
  });

  it("never forwards a command line whose verb is illegal", () => {
    // The server never says 354 or 334 here, so every client line is a command.
    const replies = fc.constantFrom("250 ok\r\n", "500 no\r\n", "220 hi\r\n", "503 x\r\n");
    fc.assert(
      fc.property(
        fc.constantFrom<InspectProtocol>("smtp", "esmtp"),
        fc.array(
          fc.oneof(
            fc.array(smtpish, { maxLength: 12 }).map((parts) => client(parts.join(""))),
            replies.map(server),
          ),
          { maxLength: 30 },
        ),
        fc.array(fc.nat(), { maxLength: 6 }),
        (protocol, steps, cuts) => {
          const outcome = converse(steps, { protocol, maxData: 1_000 }, cutsAt(cuts));
          const lines = outcome.server.toString("latin1").split("\n").slice(0, -1);
          for (const line of lines) {
            const text = line.endsWith("\r") ? line.slice(0, -1) : line;
            if (/^[X\r]*$/.test(text)) continue;
            for (const piece of text.split("\r").filter((p) => p !== "")) {
              const verb = readVerb(Buffer.from(piece, "latin1"), 0, piece.length);
              assert.ok(LEGAL_VERBS[protocol].has(verb), `forwarded ${JSON.stringify(line)}`);
            }
          }
        },
      ),
      settings,
    );
  });
});
