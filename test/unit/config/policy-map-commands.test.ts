import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { replay } from "../../../src/cli/replay.js";
import { parseTranscript } from "../../../src/cli/transcript.js";
import { inspectionPolicyFor } from "../../../src/config/inspection-policy.js";
import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

const POLICY = [
  "policy-map type inspect esmtp MAILPOLICY",
  " parameters",
  "  mask-banner",
  "  allow-tls",
  "  no special-character",
  " match cmd RCPT count gt 50",
  "  drop-connection log",
  " match header line length gt 2000",
  "  log",
  " match sender-address length gt 100",
  "  reset log",
  " match ehlo-reply-parameter others",
  "  mask",
  "ip inspect name OUT-IN esmtp max-data 1000000 policy-map MAILPOLICY",
];

describe("policy-map type inspect esmtp", () => {
  it("parses, renders back, and round-trips", () => {
    const { model, problems } = parseConfig(POLICY.join("\n"));
    assert.deepEqual(problems, []);
    const text = renderRunningConfig(model);
    for (const line of POLICY) assert.ok(text.includes(`${line}\n`), `missing: ${line}`);
    const again = parseConfig(text);
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model.policyMaps, model.policyMaps);
  });

  it("becomes the rule's esmtp policy over the ASA defaults", () => {
    const { model } = parseConfig(POLICY.join("\n"));
    const esmtp = inspectionPolicyFor(model, "OUT-IN")?.esmtp;
    assert.equal(esmtp?.tls, "allow");
    assert.equal(esmtp.maskBanner, true);
    assert.equal(esmtp.specialCharacter, false);
    assert.deepEqual(esmtp.maxRecipients, { limit: 50, action: "reset" });
    assert.deepEqual(esmtp.maxHeaderLine, { limit: 2000, action: "log" });
    assert.deepEqual(esmtp.maxSenderLength, { limit: 100, action: "reset" });
    assert.deepEqual(esmtp.maxBodyLine, { limit: 998, action: "log" });
    assert.equal(esmtp.maskOtherEhloKeywords, true);
  });

  it("refuses an action without a match, mask on a length, and bad values, with line numbers", () => {
    const { problems } = parseConfig(
      [
        "policy-map type inspect esmtp P",
        "  log",
        " match header line length gt 10",
        "  mask",
        " match cmd RCPT count gt 0",
        " match body line length gt lots",
      ].join("\n"),
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 4, 5, 6],
    );
  });

  it("is removed by its no form", () => {
    const { model } = parseConfig(
      [...POLICY, "no policy-map type inspect esmtp MAILPOLICY"].join("\n"),
    );
    assert.deepEqual(model.policyMaps, []);
    assert.equal(inspectionPolicyFor(model, "OUT-IN")?.esmtp, undefined);
  });

  it("reaches the inspector: mask-banner through replay --config", () => {
    const { model } = parseConfig(POLICY.join("\n"));
    const policy = inspectionPolicyFor(model, "OUT-IN");
    assert.ok(policy !== undefined);
    const output = replay(parseTranscript("S: 220 mx.example.com ESMTP Postfix\n"), { policy });
    assert.deepEqual(output, [`S: 220 ${"*".repeat(28)}`]);
  });
});

describe("terminate-tls (ours)", () => {
  it("names the certificate and key, renders back, and makes the policy terminate", () => {
    const text = [
      "policy-map type inspect esmtp TLS",
      " parameters",
      "  terminate-tls certificate /etc/smtpguard/cert.pem key /etc/smtpguard/key.pem",
      "ip inspect name OUT-IN esmtp policy-map TLS",
    ].join("\n");
    const { model, problems } = parseConfig(text);
    assert.deepEqual(problems, []);
    assert.match(
      renderRunningConfig(model),
      /^ {2}terminate-tls certificate \/etc\/smtpguard\/cert\.pem key \/etc\/smtpguard\/key\.pem$/m,
    );
    assert.equal(inspectionPolicyFor(model, "OUT-IN")?.esmtp?.tls, "terminate");
    const { problems: missing } = parseConfig(
      "policy-map type inspect esmtp X\n terminate-tls certificate a.pem\n",
    );
    assert.equal(missing[0]?.line, 2);
  });
});

describe("pipelining-violation and EHLO narrowing (ours)", () => {
  const text = [
    "policy-map type inspect esmtp STRICT",
    " parameters",
    "  pipelining-violation mask",
    " match ehlo-reply-parameter 8BITMIME",
    "  mask",
    "ip inspect name OUT-IN esmtp policy-map STRICT",
  ].join("\n");

  it("round-trips and reaches the policy", () => {
    const { model, problems } = parseConfig(text);
    assert.deepEqual(problems, []);
    const rendered = renderRunningConfig(model);
    assert.match(rendered, /^ {2}pipelining-violation mask$/m);
    assert.match(rendered, /^ match ehlo-reply-parameter 8BITMIME$/m);
    const esmtp = inspectionPolicyFor(model, "OUT-IN")?.esmtp;
    assert.equal(esmtp?.pipeliningViolation, "mask");
    assert.equal(esmtp.ehloKeywords.has("8BITMIME"), false);
    assert.equal(esmtp.ehloKeywords.has("SIZE"), true);
  });

  it("masks the narrowed keyword and a command pipelined past a sync point", () => {
    const { model } = parseConfig(text);
    const policy = inspectionPolicyFor(model, "OUT-IN");
    assert.ok(policy !== undefined);
    const transcript = [
      "S: 220 mx ESMTP",
      "C: EHLO c",
      "S: 250-mx",
      "S: 250-8BITMIME",
      "S: 250 PIPELINING",
      "C: NOOP",
      "C: RSET",
      "S: 250 ok",
      "S: 500 no",
    ].join("\n");
    const output = replay(parseTranscript(transcript), { policy });
    assert.ok(output.includes("S: 250-XXXXXXXX"));
    assert.ok(output.includes("C: XXXX"), output.join("\n"));
    assert.ok(output.includes("S: 503 5.5.1 Command pipelined past a sync point (RFC 2920)"));
  });
});

describe("match MIME filename length", () => {
  it("sets the limit and action, and renders back", () => {
    const text = [
      "policy-map type inspect esmtp M",
      " match MIME filename length gt 100",
      "  log",
      "ip inspect name OUT-IN esmtp policy-map M",
    ].join("\n");
    const { model, problems } = parseConfig(text);
    assert.deepEqual(problems, []);
    assert.match(renderRunningConfig(model), /^ match MIME filename length gt 100\n {2}log$/m);
    const esmtp = inspectionPolicyFor(model, "OUT-IN")?.esmtp;
    assert.deepEqual(esmtp?.maxMimeFilename, { limit: 100, action: "log" });
  });
});
