import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import {
  productVersion,
  showLogging,
  showRunningConfig,
  showVersion,
  uptimeText,
} from "../../../src/exec/show-system.js";

const seedText = readFileSync(
  new URL("../../../examples/seed-router.conf", import.meta.url),
  "utf8",
);
const packageVersion = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe("show running-config", () => {
  const model = parseConfig(seedText).model;
  const text = showRunningConfig(model);

  it("has IOS's header, and the size it states is the size of what follows", () => {
    const [building, blank, current, ...rest] = text.split("\n");
    assert.equal(building, "Building configuration...");
    assert.equal(blank, "");
    const size = /^Current configuration : (\d+) bytes$/.exec(current ?? "")?.[1];
    assert.equal(Number(size), Buffer.byteLength(rest.join("\n")));
  });

  it("prints the configuration in force after a `!`", () => {
    assert.ok(text.endsWith(`!\n${renderRunningConfig(model)}`));
    assert.match(text, /\nhostname 3640-123\n/);
    assert.match(text, /\n password 7 121A0C0411045D5679\n/);
  });
});

describe("show version", () => {
  it("names smtpguard and the version in package.json", () => {
    assert.equal(productVersion(), packageVersion);
    const text = showVersion({ version: "1.2.3", hostname: "gw", uptimeMs: undefined });
    assert.match(text, /^smtpguard SMTP\/ESMTP inspection gateway, Version 1\.2\.3\n/);
    assert.doesNotMatch(text, /uptime/);
  });

  it("adds the uptime of a running gateway, as IOS words it", () => {
    const text = showVersion({ version: "1", hostname: "gw", uptimeMs: 3_600_000 + 60_000 });
    assert.match(text, /\n\ngw uptime is 1 hour, 1 minute\n$/);
    assert.equal(uptimeText(0), "0 minutes");
    assert.equal(uptimeText(9 * 24 * 3_600_000 + 5 * 60_000), "1 week, 2 days, 5 minutes");
  });
});

describe("show logging", () => {
  const logging = {
    buffered: undefined,
    hosts: [
      { address: "192.0.2.9", transport: "udp" as const, port: undefined },
      { address: "192.0.2.10", transport: "tcp" as const, port: 1468 },
    ],
    trap: "warnings" as const,
  };

  it("prints the sinks and the buffered lines", () => {
    const text = showLogging({
      logging,
      buffer: { level: "debugging", capacityOctets: 8192, logged: 2, lines: ["one", "two"] },
    });
    assert.equal(
      text,
      [
        "Syslog logging: enabled",
        "    Console logging: level debugging (standard error)",
        "    Buffer logging: level debugging, 2 messages logged",
        "    Trap logging: level warnings",
        "        Logging to 192.0.2.9 (udp port 514)",
        "        Logging to 192.0.2.10 (tcp port 1468, not active)",
        "",
        "Log Buffer (8192 bytes):",
        "one",
        "two",
        "",
      ].join("\n"),
    );
  });

  it("says the buffer is disabled when `logging buffered` is not configured", () => {
    const text = showLogging({ logging, buffer: undefined });
    assert.match(text, /\n {4}Buffer logging: disabled\n/);
    assert.doesNotMatch(text, /Log Buffer/);
  });
});
