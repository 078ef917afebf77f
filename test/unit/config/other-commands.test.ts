import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import { verifySecret } from "../../../src/config/secret5.js";

function parse(...lines: string[]) {
  return parseConfig(lines.join("\n"));
}

describe("ip nat and ip port-map", () => {
  it("reads host and port translations, and removes them with no", () => {
    const { model, problems } = parse(
      "ip nat inside source static 10.10.10.2 172.22.1.110",
      "ip nat inside source static tcp 10.10.10.3 2525 172.22.1.112 25 extendable",
      "ip nat inside source static 10.10.10.5 172.22.1.111",
      "no ip nat inside source static 10.10.10.5 172.22.1.111",
      "ip nat inside source list 1 interface Ethernet0 overload",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.staticNats, [
      { kind: "host", local: "10.10.10.2", global: "172.22.1.110", extendable: false },
      {
        kind: "port",
        protocol: "tcp",
        local: "10.10.10.3",
        localPort: 2525,
        global: "172.22.1.112",
        globalPort: 25,
        extendable: true,
      },
    ]);
  });

  it("refuses a bad translation instead of taking it for an inert one", () => {
    const { problems, model } = parse("ip nat inside source static 10.10.10.300 172.22.1.110");
    assert.equal(problems.length, 1);
    assert.deepEqual(model.staticNats, []);
  });

  it("maps SMTP to other ports", () => {
    const { model } = parse(
      "ip port-map smtp port 2525",
      "ip port-map smtp port 587 2526",
      "no ip port-map smtp port 2526",
    );
    assert.deepEqual(
      model.portMaps.map((entry) => entry.port),
      [2525, 587],
    );
    assert.match(
      renderRunningConfig(model),
      /^ip port-map smtp port 2525\nip port-map smtp port 587$/m,
    );
  });
});

describe("logging and service", () => {
  it("reads buffered, host and trap, and renders them back", () => {
    const { model, problems } = parse(
      "logging buffered 16384 warnings",
      "logging trap notifications",
      "logging host 10.0.0.9",
      "logging 10.0.0.10",
      "logging host 10.0.0.11 transport tcp port 6514",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(model.logging.buffered, { size: 16384, level: "warnings" });
    assert.equal(model.logging.trap, "notifications");
    assert.deepEqual(model.logging.hosts[2], {
      address: "10.0.0.11",
      transport: "tcp",
      port: 6514,
    });
    assert.deepEqual(parseConfig(renderRunningConfig(model)).model.logging, model.logging);
  });

  it("accepts logging buffered with a level only, or a severity number", () => {
    assert.deepEqual(parse("logging buffered 4").model.logging.buffered, {
      size: 4096,
      level: "warnings",
    });
    assert.deepEqual(parse("logging buffered").model.logging.buffered, {
      size: 4096,
      level: "debugging",
    });
    assert.equal(parse("logging buffered 100").problems.length, 1);
  });

  it("undoes logging with no", () => {
    const { model } = parse(
      "logging host 10.0.0.9",
      "logging trap errors",
      "no logging host 10.0.0.9",
      "no logging trap",
      "no logging buffered",
    );
    assert.deepEqual(model.logging, { buffered: "disabled", hosts: [], trap: "informational" });
  });

  it("reads service timestamps in their forms", () => {
    const { model } = parse(
      "service timestamps log datetime msec localtime",
      "service timestamps debug uptime",
    );
    assert.deepEqual(model.timestamps, {
      log: { kind: "datetime", msec: true, localtime: true, showTimezone: false, year: false },
      debug: { kind: "uptime" },
    });
    assert.deepEqual(parse("no service timestamps log").model.timestamps.log, { kind: "none" });
  });

  it("changes the hostname, and back to Router with no", () => {
    assert.equal(parse("hostname edge-1").model.hostname, "edge-1");
    assert.equal(parse("hostname edge-1", "no hostname").model.hostname, "Router");
    assert.equal(parse("hostname bad_name!").problems.length, 1);
  });
});

describe("passwords and vty lines", () => {
  it("writes passwords as type 7 when service password-encryption is on", () => {
    const { model } = parse(
      "enable password cisco123",
      "line vty 0 4",
      " password s3cret",
      " login",
      "service password-encryption",
    );
    const rendered = renderRunningConfig(model);
    assert.doesNotMatch(rendered, /cisco123|s3cret/);
    const again = parseConfig(rendered).model;
    assert.equal(again.enablePassword?.text, "cisco123");
    assert.equal(again.vtyLines[0]?.password?.text, "s3cret");
    assert.deepEqual(again, model);
  });

  it("keeps clear passwords clear without password-encryption", () => {
    const rendered = renderRunningConfig(parse("enable password plain").model);
    assert.match(rendered, /^enable password plain$/m);
  });

  it("refuses a type 7 string that does not decode", () => {
    const { problems } = parse("enable password 7 XYZ");
    assert.match(problems[0]?.message ?? "", /^% Invalid encrypted password/);
  });

  it("hashes enable secret as type 5 and keeps a given hash", () => {
    const hashed = parse("enable secret letmein").model.enableSecret?.hash ?? "";
    assert.equal(verifySecret(hashed, "letmein"), true);
    const kept = parse("enable secret 5 $1$abcd$2hDGYdE0UrwK2pqoiF6BB1").model;
    assert.match(renderRunningConfig(kept), /^enable secret 5 \$1\$abcd\$2hDGYdE0UrwK2pqoiF6BB1$/m);
  });

  it("undoes vty settings with no, and keeps inert vty lines", () => {
    const { model, inert } = parse(
      "line vty 0 4",
      " exec-timeout 5 0",
      " password 7 121A0C0411045D5679",
      " login",
      " transport input telnet",
      " no login",
    );
    assert.equal(model.vtyLines[0]?.login, false);
    assert.equal(model.vtyLines[0].password?.text, "cisco123");
    assert.deepEqual(
      inert.map((line) => line.text),
      ["exec-timeout 5 0", "transport input telnet"],
    );
  });
});
