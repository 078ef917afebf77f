import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { runCli } from "../helpers/cli.js";

/** One broken line per command family, each after a valid one so that numbering is tested. */
const BROKEN = [
  "ip inspect name MAIL esmtp max-data 99999999999999",
  "interface Ethernet2/0",
  " ip address 10.0.0.1 255.255.255.999",
  "access-list 101 permit tcp any host 10.0.0.2 eq",
  "ip nat inside source static tcp 10.0.0.2 25 10.1.0.2 abc",
  "logging host 999.0.0.1",
  "enable password 7 QQ",
  "line vty 0 4",
  " password 7 not-hex!",
  "ip inspect graceful-shutdown -5",
];

describe("smtpguard check on generated broken files", () => {
  let dir = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "smtpguard-hostile-"));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives FILE:LINE: for every broken line, exit 1, and no stack trace", async () => {
    const path = join(dir, "broken.conf");
    await writeFile(path, ["hostname gw", ...BROKEN, "end", ""].join("\n"));
    const result = runCli(["check", path]);
    const output = result.stdout + result.stderr;

    assert.equal(result.code, 1, output);
    BROKEN.forEach((text, index) => {
      if (!/^(interface|line vty)/.test(text)) {
        assert.ok(output.includes(`${path}:${String(index + 2)}: %`), `line ${text}: ${output}`);
      }
    });
    assert.doesNotMatch(output, /^\s+at .+:\d+:\d+\)?$/m);
  });

  it("survives a file of random bytes with a line-numbered answer", async () => {
    const path = join(dir, "noise.conf");
    const noise = Buffer.alloc(4096);
    for (let at = 0; at < noise.length; at++) noise[at] = (at * 7919 + 13) % 256;
    await writeFile(path, noise);
    const result = runCli(["check", path]);
    const output = result.stdout + result.stderr;

    assert.equal(result.code, 1, output);
    assert.match(output, new RegExp(`${path.replaceAll("/", "\\/")}:\\d+: %`));
    assert.doesNotMatch(output, /^\s+at .+:\d+:\d+\)?$/m);
  });
});
