import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { accessGroupMatcher, compileAccessList } from "../../../src/firewall/acl.js";

function matcherFor(...lines: string[]) {
  const { model, problems } = parseConfig(lines.join("\n"));
  assert.deepEqual(problems, []);
  const list = model.accessLists[0];
  assert.ok(list !== undefined);
  return compileAccessList(list);
}

const client = (address: string, port = 40000) => ({ address, port });
const server = (address: string, port = 25) => ({ address, port });

describe("access list matching", () => {
  it("lets the first matching entry decide", () => {
    const match = matcherFor(
      "access-list 101 deny tcp host 10.9.9.9 any log",
      "access-list 101 permit tcp any host 172.22.1.110 eq smtp",
    );
    assert.deepEqual(match(client("10.9.9.9"), server("172.22.1.110")), {
      action: "deny",
      log: true,
      entryText: "deny tcp host 10.9.9.9 any log",
    });
    assert.deepEqual(match(client("10.1.1.1"), server("172.22.1.110")), {
      action: "permit",
      log: false,
      entryText: "permit tcp any host 172.22.1.110 eq smtp",
    });
  });

  it("ends with an implicit deny that is not logged", () => {
    const match = matcherFor("access-list 101 permit tcp any host 172.22.1.110 eq smtp");
    assert.deepEqual(match(client("10.1.1.1"), server("172.22.1.110", 80)), {
      action: "deny",
      log: false,
    });
    assert.deepEqual(match(client("10.1.1.1"), server("172.22.1.111")), {
      action: "deny",
      log: false,
    });
  });

  it("handles non-contiguous wildcards bit by bit", () => {
    // 10.0.x.5 for any x: the third octet is "don't care".
    const match = matcherFor("access-list 101 permit tcp 10.0.0.5 0.0.255.0 any");
    assert.equal(match(client("10.0.77.5"), server("1.1.1.1")).action, "permit");
    assert.equal(match(client("10.0.77.6"), server("1.1.1.1")).action, "deny");
    assert.equal(match(client("10.1.77.5"), server("1.1.1.1")).action, "deny");
  });

  it("compares ports with each operator", () => {
    const match = matcherFor(
      "access-list 101 permit tcp any lt 1024 any",
      "access-list 101 permit tcp any any range 2525 2530",
      "access-list 101 permit tcp any any gt 60000",
      "access-list 101 deny tcp any any neq 587",
      "access-list 101 permit ip any any",
    );
    assert.equal(match(client("1.1.1.1", 1000), server("2.2.2.2", 1)).action, "permit");
    assert.equal(match(client("1.1.1.1"), server("2.2.2.2", 2527)).action, "permit");
    assert.equal(match(client("1.1.1.1"), server("2.2.2.2", 60001)).action, "permit");
    assert.equal(match(client("1.1.1.1"), server("2.2.2.2", 25)).action, "deny");
    assert.equal(match(client("1.1.1.1"), server("2.2.2.2", 587)).entryText, "permit ip any any");
  });

  it("skips entries that cannot match a new TCP connection", () => {
    const match = matcherFor(
      "access-list 101 permit udp any any",
      "access-list 101 permit tcp any any established",
      "access-list 101 remark nothing else",
    );
    assert.equal(match(client("1.1.1.1"), server("2.2.2.2")).action, "deny");
  });

  it("matches standard lists on the source only", () => {
    const match = matcherFor("access-list 10 permit 192.168.0.0 0.0.255.255");
    assert.equal(match(client("192.168.4.4"), server("9.9.9.9")).action, "permit");
    assert.equal(match(client("192.169.4.4"), server("9.9.9.9")).action, "deny");
  });

  it("permits everything through a group naming an undefined or empty list", () => {
    const { model } = parseConfig("access-list 5 remark empty\n");
    for (const name of [undefined, "199", "5"]) {
      const verdict = accessGroupMatcher(model, name)(client("1.1.1.1"), server("2.2.2.2"));
      assert.deepEqual(verdict, { action: "permit", log: false });
    }
  });
});
