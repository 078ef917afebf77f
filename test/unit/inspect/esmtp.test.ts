import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { defaultEsmtpPolicy, type InspectionPolicy } from "../../../src/inspect/policy.js";
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
const EHLO_REPLY =
  "250-mail.example.org\r\n250-SIZE 10000000\r\n250-8BITMIME\r\n250-PIPELINING\r\n" +
  "250-AUTH PLAIN LOGIN\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-ETRN\r\n" +
  "250-CHUNKING\r\n250-BINARYMIME\r\n250 SMTPUTF8\r\n";
const START: Step[] = [GREETING, c("EHLO client.example.org\r\n"), s(EHLO_REPLY)];
const esmtp = (changes: Partial<InspectionPolicy> = {}): InspectionPolicy => ({
  protocol: "esmtp",
  maxData: 20_000_000,
  ...changes,
});
const splitters: [string, Splitter][] = [
  ["whole", whole],
  ["byte by byte", byteByByte],
];

/** The client's view after START: what it received past the EHLO reply. */
function clientAfterStart(steps: Step[], policy = esmtp()): { client: string; server: string } {
  const outcome = converse([...START, ...steps], policy);
  const client = outcome.client.toString("latin1");
  const server = outcome.server.toString("latin1");
  return {
    client: client.slice(client.indexOf(EHLO_REPLY) + EHLO_REPLY.length),
    server: server.slice("EHLO client.example.org\r\n".length),
  };
}

/** A refused command: masked toward the server, the clear reply toward the client. */
function assertRefused(line: string, reply: RegExp, before: Step[] = []): void {
  const { client, server } = clientAfterStart([...before, c(`${line}\r\n`), s("500 5.5.2 no\r\n")]);
  assert.ok(
    server.endsWith(`${"X".repeat(line.length)}\r\n`),
    `server got ${JSON.stringify(server)}`,
  );
  const lines = client.split("\r\n");
  assert.match(`${lines.at(-2) ?? ""}\r\n`, reply);
  assert.ok(!client.includes("500 5.5.2 no"), "the server's answer to the X's is replaced");
}

const MAIL_OK: Step[] = [c("MAIL FROM:<a@example.org>\r\n"), s("250 2.1.0 Ok\r\n")];
const RCPT_OK: Step[] = [c("RCPT TO:<b@example.org>\r\n"), s("250 2.1.5 Ok\r\n")];

describe("EHLO reply filtering", () => {
  it("keeps the inspected keywords and masks the others with X's of the same length", () => {
    const reply =
      "250-mail.example.org\r\n250-PIPELINING\r\n250-XEXCH50\r\n250-STARTTLS\r\n" +
      "250-X-LINK2STATE\r\n250-AUTH=LOGIN\r\n250 SIZE 1000\r\n";
    for (const [, split] of splitters) {
      const outcome = converse([GREETING, c("EHLO c\r\n"), s(reply)], esmtp(), split);
      assert.equal(
        outcome.client.toString("latin1"),
        "220 mail.example.org ESMTP\r\n250-mail.example.org\r\n250-PIPELINING\r\n250-XXXXXXX\r\n" +
          "250-XXXXXXXX\r\n250-XXXXXXXXXXXX\r\n250-XXXXXXXXXX\r\n250 SIZE 1000\r\n",
      );
    }
  });

  it("leaves STARTTLS when the policy allows TLS", () => {
    const policy = esmtp({ esmtp: { ...defaultEsmtpPolicy(), tls: "allow" } });
    const outcome = converse([GREETING, c("EHLO c\r\n"), s("250-m\r\n250 STARTTLS\r\n")], policy);
    assert.match(outcome.client.toString("latin1"), /250 STARTTLS\r\n$/);
  });
});

describe("extension parameters", () => {
  it("passes legal SIZE, BODY, DSN, AUTH and SMTPUTF8 parameters untouched", () => {
    const steps: Step[] = [
      c("MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314 AUTH=<>\r\n"),
      s("250 2.1.0 Ok\r\n"),
      c("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org\r\n"),
      s("250 2.1.5 Ok\r\n"),
      c("RCPT TO:<c@example.org> NOTIFY=NEVER\r\n"),
      s("250 2.1.5 Ok\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse([...START, ...steps], esmtp(), split);
      assert.deepEqual(outcome.server, sent([...START, ...steps], "client"));
      assert.equal(eventsOf(outcome, "invalid-command").length, 0);
    }
  });

  it("refuses malformed parameters with a clear reply", () => {
    assertRefused("MAIL FROM:<a@x> SIZE=12ab", /^501 5\.5\.4 Invalid SIZE parameter\r\n$/);
    assertRefused("MAIL FROM:<a@x> SIZE=123456789012345678901", /^501 5\.5\.4 Invalid SIZE/);
    assertRefused("MAIL FROM:<a@x> BODY=9BIT", /^501 5\.5\.4 Invalid BODY/);
    assertRefused("MAIL FROM:<a@x> RET=ALL", /^501 5\.5\.4 Invalid RET/);
    assertRefused(`MAIL FROM:<a@x> ENVID=${"a".repeat(101)}`, /^501 5\.5\.4 Invalid ENVID/);
    assertRefused("MAIL FROM:<a@x> SMTPUTF8=yes", /^501 5\.5\.4 Invalid SMTPUTF8/);
    assertRefused("MAIL FROM:<a@x> AUTH=a+zz", /^501 5\.5\.4 Invalid AUTH/);
    assertRefused("MAIL FROM:<a@x> HOLDFOR=10", /^555 5\.5\.4 Unsupported parameter HOLDFOR/);
    assertRefused("RCPT TO:<b@x> NOTIFY=NEVER,SUCCESS", /^501 5\.5\.4 Invalid NOTIFY/, MAIL_OK);
    assertRefused("RCPT TO:<b@x> ORCPT=rfc822", /^501 5\.5\.4 Invalid ORCPT/, MAIL_OK);
  });

  it("refuses a declared SIZE over max-data before any content is sent", () => {
    const { client, server } = clientAfterStart(
      [c("MAIL FROM:<a@x> SIZE=5000\r\n"), s("500 no\r\n")],
      esmtp({ maxData: 4000 }),
    );
    assert.equal(server, `${"X".repeat(25)}\r\n`);
    assert.equal(client, "552 5.3.4 Message size exceeds fixed maximum message size\r\n");
  });

  it("refuses a parameter whose extension the server did not advertise", () => {
    const outcome = converse(
      [
        GREETING,
        c("EHLO c\r\n"),
        s("250-m\r\n250 PIPELINING\r\n"),
        c("MAIL FROM:<a@x> SIZE=10\r\n"),
      ],
      esmtp(),
    );
    assert.match(outcome.server.toString("latin1"), /\r\nX{23}\r\n$/);
  });

  it("allows 8-bit octets in addresses only with SMTPUTF8", () => {
    assertRefused("MAIL FROM:<j\u00f6rg@x>", /^553 5\.6\.7 Non-ASCII address without SMTPUTF8/);
    const { server } = clientAfterStart([c("MAIL FROM:<j\u00f6rg@x> SMTPUTF8\r\n")]);
    assert.equal(server, "MAIL FROM:<j\u00f6rg@x> SMTPUTF8\r\n");
  });
});

describe("sequence", () => {
  it("refuses RCPT before MAIL, DATA before RCPT, and MAIL in an open transaction with 503", () => {
    assertRefused("RCPT TO:<b@x>", /^503 5\.5\.1 Need MAIL command\r\n$/);
    assertRefused("DATA", /^503 5\.5\.1 Need RCPT command\r\n$/, MAIL_OK);
    assertRefused("MAIL FROM:<c@x>", /^503 5\.5\.1 Nested MAIL command\r\n$/, MAIL_OK);
  });

  it("never catches legal pipelining, and keeps replaced replies in order", () => {
    const steps: Step[] = [
      c("MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\nDATA\r\n"),
      s("250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n"),
      c("hello\r\n.\r\nMAIL FROM:<d@x> SIZE=zz\r\nRSET\r\nMAIL FROM:<e@x>\r\n"),
      s("250 queued\r\n500 5.5.2 no\r\n250 reset\r\n250 ok\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse([...START, ...steps], esmtp(), split);
      const client = outcome.client.toString("latin1");
      assert.ok(
        client.endsWith(
          "250 queued\r\n501 5.5.4 Invalid SIZE parameter\r\n250 reset\r\n250 ok\r\n",
        ),
      );
      assert.equal(eventsOf(outcome, "invalid-command").length, 1);
    }
  });

  it("keeps the envelope when a second EHLO is refused", () => {
    const steps: Step[] = [
      ...MAIL_OK,
      c("EHLO\r\n"),
      s("501 5.5.4 Syntax: EHLO hostname\r\n"),
      ...RCPT_OK,
    ];
    const outcome = converse([...START, ...steps], esmtp());
    assert.equal(eventsOf(outcome, "invalid-command").length, 0);
  });
});

describe("addresses", () => {
  for (const address of [
    "<${run{/bin/sh}}@x>",
    "<$(id)@x>",
    "<`id`@x>",
    "<a|b@x>",
    "<;sleep 66;>",
  ]) {
    it(`masks the shell sequence in MAIL FROM:${address}`, () => {
      assertRefused(`MAIL FROM:${address}`, /^553 5\.1\.3 Address refused/);
    });
  }

  it("passes a quoted semicolon, and anything when special-character is off", () => {
    assert.equal(
      clientAfterStart([c('MAIL FROM:<"a;b"@x>\r\n')]).server,
      'MAIL FROM:<"a;b"@x>\r\n',
    );
    const policy = esmtp({ esmtp: { ...defaultEsmtpPolicy(), specialCharacter: false } });
    assert.equal(
      clientAfterStart([c("MAIL FROM:<a|b@x>\r\n")], policy).server,
      "MAIL FROM:<a|b@x>\r\n",
    );
  });

  it("ends the session at the 101st recipient (ASA default map)", () => {
    const recipients = Array.from({ length: 101 }, (_, n) => `RCPT TO:<r${n}@x>\r\n`).join("");
    const outcome = converse([...START, ...MAIL_OK, c(recipients)], esmtp());
    assert.deepEqual(outcome.resets, ["policy"]);
    assert.equal(eventsOf(outcome, "invalid-command")[0]?.reason, "too-many-recipients");
  });

  it("logs paths without angle brackets and passes them", () => {
    const outcome = converse([...START, c("MAIL FROM:a@x\r\n")], esmtp());
    assert.ok(outcome.server.toString("latin1").endsWith("MAIL FROM:a@x\r\n"));
    assert.ok(eventsOf(outcome, "anomaly").some((event) => event.kind === "path-without-brackets"));
  });
});

describe("AUTH", () => {
  it("allows one successful AUTH per session and none inside a transaction", () => {
    assertRefused("AUTH PLAIN AHUAcA==", /^503 5\.5\.1 Already authenticated/, [
      c("AUTH PLAIN AHUAcA==\r\n"),
      s("235 2.7.0 ok\r\n"),
    ]);
    assertRefused("AUTH PLAIN AHUAcA==", /^503 5\.5\.1 AUTH not permitted during a mail/, MAIL_OK);
    assertRefused("AUTH PLAIN not*base64", /^501 5\.5\.2 Invalid base64/);
  });
});

describe("ETRN", () => {
  it("accepts a domain, @domain and #queue and refuses anything else", () => {
    for (const node of ["example.org", "@example.org", "#queue1"]) {
      assert.equal(clientAfterStart([c(`ETRN ${node}\r\n`)]).server, `ETRN ${node}\r\n`);
    }
    assertRefused("ETRN bad..name", /^501 5\.5\.4 Syntax: ETRN node/);
  });
});

describe("BDAT", () => {
  const binary = Buffer.from("chunk with an end of data inside\r\n.\r\nMAIL FROM:<evil@x>\r\n");

  it("counts chunks exactly: no end-of-data scan inside, pipelined BDAT allowed", () => {
    const steps: Step[] = [
      ...MAIL_OK,
      ...RCPT_OK,
      c(`BDAT ${binary.length}\r\n`),
      { from: "client", bytes: binary },
      c("BDAT 5 LAST\r\nhelloMAIL FROM:<next@x>\r\n"),
      s("250 2.0.0 chunk\r\n250 2.0.0 queued\r\n250 ok\r\n"),
    ];
    for (const [, split] of splitters) {
      const outcome = converse([...START, ...steps], esmtp(), split);
      assert.deepEqual(outcome.server, sent([...START, ...steps], "client"));
      assert.equal(outcome.inspector.contentOctets, binary.length + 5);
      assert.equal(eventsOf(outcome, "invalid-command").length, 0);
    }
  });

  it("refuses BDAT after LAST, bad BDAT syntax, and DATA after BODY=BINARYMIME", () => {
    assertRefused("BDAT 5 X", /^501 5\.5\.4 Syntax: BDAT count \[LAST\]/, [...MAIL_OK, ...RCPT_OK]);
    assertRefused("BDAT 1", /^503 5\.5\.1 Need RCPT command/, [
      ...MAIL_OK,
      ...RCPT_OK,
      c("BDAT 0 LAST\r\n"),
      s("250 ok\r\n"),
    ]);
    assertRefused("DATA", /^503 5\.5\.1 DATA not permitted/, [
      c("MAIL FROM:<a@x> BODY=BINARYMIME\r\n"),
      s("250 ok\r\n"),
      ...RCPT_OK,
    ]);
  });

  it("counts chunks toward max-data", () => {
    const steps: Step[] = [...MAIL_OK, ...RCPT_OK, c("BDAT 100 LAST\r\n"), c("x".repeat(100))];
    const outcome = converse([...START, ...steps], esmtp({ maxData: 50 }));
    assert.deepEqual(outcome.resets, ["max-data"]);
  });

  it("masks BDAT when the server did not offer CHUNKING", () => {
    const outcome = converse(
      [GREETING, c("EHLO c\r\n"), s("250 m\r\n"), ...MAIL_OK, ...RCPT_OK, c("BDAT 3 LAST\r\n")],
      esmtp(),
    );
    assert.equal(eventsOf(outcome, "invalid-command")[0]?.reason, "illegal-verb");
  });
});

describe("STARTTLS", () => {
  it("is masked by default", () => {
    const outcome = converse([...START, c("STARTTLS\r\n")], esmtp());
    assert.match(outcome.server.toString("latin1"), /XXXXXXXX\r\n$/);
  });

  it("when allowed, stops inspecting after the 220 and drops the plaintext sent after it", () => {
    const policy = esmtp({ esmtp: { ...defaultEsmtpPolicy(), tls: "allow" } });
    const steps: Step[] = [
      GREETING,
      c("EHLO c\r\n"),
      s("250-m\r\n250 STARTTLS\r\n"),
      c("STARTTLS\r\nMAIL FROM:<injected@x>\r\n"),
      s("220 2.0.0 Ready to start TLS\r\n"),
      { from: "client", bytes: Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]) },
      { from: "server", bytes: Buffer.from([0x16, 0x03, 0x03, 0x00, 0x01, 9]) },
    ];
    const outcome = converse(steps, policy);
    const server = outcome.server;
    assert.ok(!server.toString("latin1").includes("injected"));
    assert.ok(server.subarray(server.length - 10).equals(steps[5]!.bytes));
    assert.equal(
      eventsOf(outcome, "tls-started")[0]?.discarded,
      "MAIL FROM:<injected@x>\r\n".length,
    );
    assert.equal(outcome.inspector.mode, "opaque");
  });
});

describe("banner and replies", () => {
  it("masks the banner's text with asterisks when mask-banner is on", () => {
    const policy = esmtp({ esmtp: { ...defaultEsmtpPolicy(), maskBanner: true } });
    const outcome = converse([s("220-mx.example.com ESMTP Postfix\r\n220 ready\r\n")], policy);
    assert.equal(outcome.client.toString("latin1"), `220-${"*".repeat(28)}\r\n220 *****\r\n`);
  });

  it("logs a malformed enhanced status code once", () => {
    const outcome = converse([...START, ...MAIL_OK.slice(0, 1), s("250 4.1.0 odd\r\n")], esmtp());
    assert.ok(
      eventsOf(outcome, "anomaly").some((event) => event.kind === "bad-enhanced-status-code"),
    );
  });
});

describe("line lengths in content (ASA default map)", () => {
  const envelope: Step[] = [...MAIL_OK, ...RCPT_OK, c("DATA\r\n"), s("354 go\r\n")];

  it("ends the session at a header line over 998 octets, before forwarding it", () => {
    for (const [, split] of splitters) {
      const header = `Subject: ${"h".repeat(995)}\r\n`;
      const outcome = converse(
        [...START, ...envelope, c(`${header}\r\nbody\r\n.\r\n`)],
        esmtp(),
        split,
      );
      assert.deepEqual(outcome.resets, ["policy"]);
      assert.ok(!outcome.server.toString("latin1").includes("h".repeat(990)));
    }
  });

  it("logs a body line over 998 octets and passes it", () => {
    const body = `Subject: x\r\n\r\n${"b".repeat(2000)}\r\n.\r\n`;
    const outcome = converse([...START, ...envelope, c(body)], esmtp());
    assert.deepEqual(outcome.resets, []);
    assert.ok(outcome.server.toString("latin1").endsWith(body));
    assert.ok(eventsOf(outcome, "anomaly").some((event) => event.kind === "long-body-line"));
  });
});

describe("MIME file names in content (ASA default map)", () => {
  const envelope: Step[] = [...MAIL_OK, ...RCPT_OK, c("DATA\r\n"), s("354 go\r\n")];

  it("ends the session at a file name over 255 octets", () => {
    const body =
      "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
      `Content-Disposition: attachment; filename="${"n".repeat(300)}"\r\n\r\ndata\r\n--b--\r\n.\r\n`;
    const outcome = converse([...START, ...envelope, c(body)], esmtp());
    assert.deepEqual(outcome.resets, ["policy"]);
    assert.ok(eventsOf(outcome, "anomaly").some((event) => event.kind === "long-mime-filename"));
  });
});
