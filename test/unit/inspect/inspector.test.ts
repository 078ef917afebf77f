import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { defaultPolicy, LEGAL_VERBS } from "../../../src/inspect/policy.js";
import {
  byteByByte,
  c,
  converse,
  eventsOf,
  s,
  sent,
  whole,
  type Splitter,
  type Step,
} from "../../helpers/conversation.js";

const GREETING = s("220 mail.example.org ESMTP\r\n");
const splitters: [string, Splitter][] = [
  ["whole", whole],
  ["byte by byte", byteByByte],
];

function commandWith(verb: string): string {
  if (verb === "MAIL" || verb === "SEND" || verb === "SOML" || verb === "SAML") {
    return `${verb} FROM:<a@example.org>`;
  }
  if (verb === "RCPT") return "RCPT TO:<b@example.org>";
  return `${verb} example.org`;
}

/** An EHLO exchange whose reply advertises every extension the esmtp rule inspects. */
const EHLO_ALL: Step[] = [
  c("EHLO client.example.org\r\n"),
  s(
    "250-mail.example.org\r\n250-SIZE 10000000\r\n250-8BITMIME\r\n250-PIPELINING\r\n" +
      "250-AUTH PLAIN LOGIN\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-ETRN\r\n" +
      "250-CHUNKING\r\n250-BINARYMIME\r\n250 SMTPUTF8\r\n",
  ),
];

describe("command policy", () => {
  for (const protocol of ["smtp", "esmtp"] as const) {
    for (const verb of LEGAL_VERBS[protocol]) {
      if (verb === "DATA" || verb === "AUTH") continue;
      it(`${protocol} passes ${verb} untouched, in any case`, () => {
        const line = `${commandWith(verb).toLowerCase()}\r\n`;
        // An esmtp rule judges RCPT inside a transaction, as a client sends it.
        const before: Step[] =
          protocol === "esmtp"
            ? [
                ...EHLO_ALL,
                ...(verb === "RCPT" ? [c("MAIL FROM:<a@x>\r\n"), s("250 2.1.0 ok\r\n")] : []),
              ]
            : [];
        const steps = [GREETING, ...before, c(line), s("250 ok\r\n")];
        for (const [, split] of splitters) {
          const outcome = converse(steps, defaultPolicy(protocol), split);
          assert.ok(outcome.server.toString("latin1").endsWith(line));
          assert.deepEqual(outcome.server, sent(steps, "client"));
          assert.equal(eventsOf(outcome, "invalid-command").length, 0);
        }
      });
    }
  }

  const illegal = [
    "EXPN staff",
    "EHLO client.example.org",
    "KILL root",
    "WIZ",
    "DEBUG",
    "TURN",
    "VERB",
    "ATRN example.org",
    "XEXCH50 1 2",
    "X-LINK2STATE CHUNK=A",
    "STARTTLS",
    "BDAT 10 LAST",
    "GET / HTTP/1.1",
    "",
  ];
  for (const line of illegal) {
    const verb = line.split(" ")[0] ?? "";
    const protocol = verb === "EXPN" || verb === "EHLO" ? "smtp" : "esmtp";
    it(`${protocol} masks "${line}" with X's of the same length`, () => {
      for (const [, split] of splitters) {
        const outcome = converse(
          [GREETING, c(`${line}\r\n`), s("500 5.5.2 Error: command not recognized\r\n")],
          defaultPolicy(protocol),
          split,
        );
        assert.equal(outcome.server.toString("latin1"), `${"X".repeat(line.length)}\r\n`);
        assert.match(outcome.client.toString("latin1"), /500 5\.5\.2/);
        const [event] = eventsOf(outcome, "invalid-command");
        assert.equal(event?.length, line.length);
        assert.equal(event.reason, "illegal-verb");
      }
    });
  }

  it("judges the verb after leading blanks, as Postfix reads it", () => {
    const outcome = converse([GREETING, c(" \tEXPN staff\r\n")], defaultPolicy("smtp"));
    assert.equal(outcome.server.toString("latin1"), "XXXXXXXXXXXX\r\n");
  });

  it("ends a line at a bare LF and logs it once", () => {
    const outcome = converse([GREETING, c("HELO a\nEXPN b\nNOOP\n")], defaultPolicy("smtp"));
    assert.equal(outcome.server.toString("latin1"), "HELO a\nXXXXXX\nNOOP\n");
    const anomalies = eventsOf(outcome, "anomaly").map((event) => event.kind);
    assert.deepEqual(anomalies, ["bare-lf-in-command"]);
  });

  it("masks a line whose piece after a bare CR has an illegal verb", () => {
    const outcome = converse([GREETING, c("NOOP\rEXPN staff\r\n")], defaultPolicy("smtp"));
    assert.equal(outcome.server.toString("latin1"), "XXXXXXXXXXXXXXX\r\n");
  });

  it("masks a command line over 512 octets including CRLF", () => {
    const at512 = `HELO ${"a".repeat(505)}\r\n`;
    const over = `HELO ${"a".repeat(506)}\r\n`;
    for (const [, split] of splitters) {
      const outcome = converse([GREETING, c(at512), c(over)], defaultPolicy("smtp"), split);
      const expected = at512 + `${"X".repeat(over.length - 2)}\r\n`;
      assert.equal(outcome.server.toString("latin1"), expected);
      assert.equal(eventsOf(outcome, "invalid-command")[0]?.reason, "line-overflow");
    }
  });

  it("streams an overlong line as X's and resets past the overflow bound", () => {
    const inPieces: Splitter = (bytes) =>
      Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, n) =>
        bytes.subarray(n * 1000, (n + 1) * 1000),
      );
    const steps = [GREETING, c("HELO " + "a".repeat(70_000))];
    const outcome = converse(steps, defaultPolicy("smtp"), inPieces);
    const server = outcome.server.toString("latin1");
    assert.ok(/^X+$/.test(server));
    assert.ok(server.length <= 65_536);
    assert.deepEqual(outcome.resets, ["line-overflow"]);
  });
});

describe("pipelining and replies", () => {
  it("matches pipelined replies in order and passes the group untouched", () => {
    const steps: Step[] = [
      GREETING,
      c("EHLO c\r\n"),
      s("250-mail\r\n250-PIPELINING\r\n250 8BITMIME\r\n"),
      c("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nRCPT TO:<c@y>\r\nDATA\r\n"),
      s("250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n"),
      c("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n"),
      s("250 queued\r\n221 bye\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse(steps, defaultPolicy("esmtp"), split);
      assert.deepEqual(outcome.server, sent(steps, "client"));
      assert.deepEqual(outcome.client, sent(steps, "server"));
      assert.equal(outcome.inspector.contentOctets, "Subject: hi\r\n\r\nbody\r\n".length);
    }
  });

  it("holds the bytes after DATA until the 354, then reads them as content", () => {
    const steps: Step[] = [
      GREETING,
      c("HELO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nEXPN looks like a command\r\n.\r\n"),
    ];
    const before = converse(steps, defaultPolicy("smtp"));
    assert.equal(
      before.server.toString("latin1"),
      "HELO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n",
    );
    assert.equal(before.inspector.clientPaused, true);

    const after = converse(
      [...steps, s("250 a\r\n250 b\r\n250 c\r\n354 go\r\n")],
      defaultPolicy("smtp"),
    );
    assert.deepEqual(after.server, sent(steps, "client"));
    assert.equal(eventsOf(after, "invalid-command").length, 0);
    assert.equal(after.inspector.mode, "command");
  });

  it("reads what follows a refused DATA as commands, as the server will", () => {
    const steps: Step[] = [
      GREETING,
      c("HELO c\r\n"),
      s("250 ok\r\n"),
      c("MAIL FROM:<spam@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nEXPN root\r\nHELO again\r\n.\r\n"),
      s("553 sender rejected\r\n503 need MAIL\r\n503 need RCPT\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse(steps, defaultPolicy("smtp"), split);
      assert.equal(
        outcome.server.toString("latin1"),
        "HELO c\r\nMAIL FROM:<spam@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nXXXXXXXXX\r\nHELO again\r\nX\r\n",
      );
      assert.equal(eventsOf(outcome, "invalid-command").length, 2);
    }
  });

  it("lets the client talk before the greeting and keeps replies in order", () => {
    const steps: Step[] = [c("HELO early\r\n"), GREETING, s("250 ok\r\n")];
    const outcome = converse(steps, defaultPolicy("smtp"));
    assert.deepEqual(outcome.server, sent(steps, "client"));
    assert.equal(eventsOf(outcome, "greeting").length, 1);
    assert.equal(eventsOf(outcome, "anomaly").length, 0);
  });

  it("reports the greeting once, on its last line", () => {
    const outcome = converse([s("220-mail.example.org\r\n220-more\r\n220 last\r\n")]);
    const greetings = eventsOf(outcome, "greeting");
    assert.equal(greetings.length, 1);
    assert.equal(greetings[0]?.code, 220);
  });

  it("passes a long reply line through and logs it", () => {
    const long = `250 ${"A".repeat(10_000)}\r\n`;
    for (const [, split] of splitters) {
      const outcome = converse([GREETING, c("NOOP\r\n"), s(long)], defaultPolicy("smtp"), split);
      assert.equal(outcome.client.toString("latin1"), `220 mail.example.org ESMTP\r\n${long}`);
      assert.deepEqual(
        eventsOf(outcome, "anomaly").map((event) => event.kind),
        ["long-reply-line"],
      );
    }
  });

  it("holds further commands while the pending queue is full", () => {
    const many = "NOOP\r\n".repeat(1_200);
    const outcome = converse([GREETING, c(many)], defaultPolicy("smtp"));
    assert.equal(outcome.server.length, 1_000 * 6);
    assert.equal(outcome.inspector.clientPaused, true);
    const replied = converse([GREETING, c(many), s("250 ok\r\n".repeat(1_200))]);
    assert.equal(replied.server.toString("latin1"), many);
  });
});

describe("AUTH exchanges", () => {
  it("passes AUTH LOGIN lines after each 334 without judging them as commands", () => {
    const steps: Step[] = [
      GREETING,
      c("EHLO c\r\n"),
      s("250-mail.example.org\r\n250 AUTH LOGIN PLAIN\r\n"),
      c("AUTH LOGIN\r\n"),
      s("334 VXNlcm5hbWU6\r\n"),
      c("RVhQTiBzdGFmZg==\r\n"),
      s("334 UGFzc3dvcmQ6\r\n"),
      c("c2VjcmV0\r\n"),
      s("235 2.7.0 Authentication successful\r\n"),
      c("EXPN staff\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse(steps, defaultPolicy("esmtp"), split);
      assert.deepEqual(outcome.server, sent(steps, "client"));
    }
  });

  it("passes AUTH PLAIN with an initial response and returns to commands after 235", () => {
    const steps: Step[] = [
      GREETING,
      ...EHLO_ALL,
      c("AUTH PLAIN AHVzZXIAcGFzcw==\r\nMAIL FROM:<a@x>\r\n"),
      s("235 ok\r\n250 ok\r\n"),
      c("WIZ\r\n"),
    ];
    const outcome = converse(steps, defaultPolicy("esmtp"));
    assert.ok(
      outcome.server
        .toString("latin1")
        .endsWith("AUTH PLAIN AHVzZXIAcGFzcw==\r\nMAIL FROM:<a@x>\r\nXXX\r\n"),
    );
  });

  it("bounds a SASL line at 12288 octets", () => {
    const response = `${"A".repeat(12_290)}\r\n`;
    const outcome = converse([
      GREETING,
      ...EHLO_ALL,
      c("AUTH LOGIN\r\n"),
      s("334 x\r\n"),
      c(response),
    ]);
    assert.equal(eventsOf(outcome, "invalid-command")[0]?.reason, "line-overflow");
  });

  it("masks AUTH in an smtp rule", () => {
    const outcome = converse([GREETING, c("AUTH LOGIN\r\n")], defaultPolicy("smtp"));
    assert.equal(outcome.server.toString("latin1"), "XXXXXXXXXX\r\n");
    assert.equal(outcome.inspector.clientPaused, false);
  });
});

function message(body: string): Step[] {
  return [
    GREETING,
    c("HELO c\r\n"),
    s("250 ok\r\n"),
    c("MAIL FROM:<a@x>\r\n"),
    s("250 ok\r\n"),
    c("RCPT TO:<b@y>\r\n"),
    s("250 ok\r\n"),
    c("DATA\r\n"),
    s("354 go\r\n"),
    c(body),
  ];
}

describe("message content", () => {
  it("understands dot-stuffing: a stuffed dot line is content", () => {
    const body = "line one\r\n..\r\n...stuffed\r\n.x\r\n.\r\n";
    for (const [, split] of splitters) {
      const outcome = converse([...message(body), c("QUIT\r\n")], defaultPolicy("smtp"), split);
      assert.equal(outcome.resets.length, 0);
      assert.ok(outcome.server.toString("latin1").endsWith(`${body}QUIT\r\n`));
      assert.equal(outcome.inspector.contentOctets, body.length - 3);
    }
  });

  it("accepts an empty message", () => {
    const outcome = converse([...message(".\r\n"), c("QUIT\r\n")], defaultPolicy("smtp"));
    assert.equal(outcome.inspector.contentOctets, 0);
    assert.equal(outcome.inspector.mode, "command");
  });

  // [the sequence, the body, the variant named in the event (named at its first bad octet)]
  const variants: [string, string, string][] = [
    ["LF.LF", "a\n.\nMAIL FROM:<x@y>\r\n", "LF.LF"],
    ["LF.CRLF", "a\n.\r\nMAIL FROM:<x@y>\r\n", "LF.CR"],
    ["CRLF.LF", "a\r\n.\nMAIL FROM:<x@y>\r\n", "CRLF.LF"],
    ["CR.CR", "a\r.\rMAIL FROM:<x@y>\r\n", "CR.CR"],
    ["CR.CRLF", "a\r.\r\nMAIL FROM:<x@y>\r\n", "CR.CR"],
    ["CRLF.CR", "a\r\n.\rMAIL FROM:<x@y>\r\n", "CRLF.CR"],
    ["LF.CR", "a\n.\rMAIL FROM:<x@y>\r\n", "LF.CR"],
    ["CRLF NUL.CRLF", "a\r\n\x00.\r\nMAIL FROM:<x@y>\r\n", "NUL.CR"],
    ["CRLF NUL.LF", "a\r\n\x00.\nMAIL FROM:<x@y>\r\n", "NUL.LF"],
    ["LF..LF is content, then LF.LF", "a\n..\nb\n.\nMAIL FROM:<x@y>\r\n", "LF.LF"],
  ];
  for (const [sequence, body, variant] of variants) {
    it(`resets on the smuggling look-alike ${sequence}, never forwarding it`, () => {
      for (const [, split] of splitters) {
        const steps = message(body);
        const outcome = converse(steps, defaultPolicy("esmtp"), split);
        assert.deepEqual(outcome.resets, ["smuggling"]);
        assert.equal(eventsOf(outcome, "smuggling")[0]?.variant, variant);
        const server = outcome.server.toString("latin1");
        assert.ok(!server.includes("MAIL FROM:<x@y>"), "nothing after the look-alike");
        assert.ok(!/[\r\n]\x00?\.[\r\n]/.test(server.slice(server.indexOf("354") + 1)));
      }
    });
  }

  it("logs bare LF in content once and passes it", () => {
    const body = "a\nb\nc\r\n.\r\n";
    const outcome = converse(message(body), defaultPolicy("esmtp"));
    assert.equal(outcome.resets.length, 0);
    assert.deepEqual(
      eventsOf(outcome, "anomaly").map((event) => event.kind),
      ["bare-lf-in-content"],
    );
  });
});

describe("max-data", () => {
  const policy = { protocol: "smtp" as const, maxData: 100 };
  const bodyOf = (octets: number): string => `${"a".repeat(octets - 2)}\r\n.\r\n`;

  it("passes content exactly at the limit", () => {
    for (const [, split] of splitters) {
      const outcome = converse([...message(bodyOf(100)), c("QUIT\r\n")], policy, split);
      assert.equal(outcome.resets.length, 0);
      assert.equal(outcome.inspector.contentOctets, 100);
    }
  });

  it("resets one octet over, forwarding nothing past the limit", () => {
    for (const [, split] of splitters) {
      const steps = message(bodyOf(101));
      const outcome = converse(steps, policy, split);
      assert.deepEqual(outcome.resets, ["max-data"]);
      assert.equal(eventsOf(outcome, "max-data-exceeded")[0]?.limit, 100);
      const forwarded = outcome.server.length - (sent(steps, "client").length - bodyOf(101).length);
      assert.equal(forwarded, 100);
    }
  });

  it("counts across two messages of one session", () => {
    const steps = [
      ...message(bodyOf(60)),
      s("250 queued\r\n"),
      c("MAIL FROM:<a@x>\r\n"),
      s("250 ok\r\n"),
      c("RCPT TO:<b@y>\r\n"),
      s("250 ok\r\n"),
      c("DATA\r\n"),
      s("354 go\r\n"),
      c(bodyOf(60)),
    ];
    const outcome = converse(steps, policy);
    assert.deepEqual(outcome.resets, ["max-data"]);
    assert.equal(outcome.inspector.contentOctets, 100);
  });
});
