import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";

function parse(...lines: string[]) {
  return parseConfig(lines.join("\n"));
}

describe("access lists", () => {
  it("reads numbered extended entries and prints ports by their IOS names", () => {
    const { model, problems } = parse(
      "access-list 101 permit tcp any host 172.22.1.110 eq 25",
      "access-list 101 permit tcp 10.1.1.7 0.0.0.255 eq www any range 1024 65535 log",
      "access-list 101 deny ip any any log",
      "access-list 2000 permit tcp host 1.2.3.4 any gt 1023 established",
    );
    assert.deepEqual(problems, []);
    const rendered = renderRunningConfig(model);
    assert.ok(
      rendered.includes(
        [
          "access-list 101 permit tcp any host 172.22.1.110 eq smtp",
          "access-list 101 permit tcp 10.1.1.0 0.0.0.255 eq www any range 1024 65535 log",
          "access-list 101 deny ip any any log",
          "access-list 2000 permit tcp host 1.2.3.4 any gt 1023 established",
        ].join("\n"),
      ),
    );
  });

  it("reads named lists in their sub-mode, with remarks and a no form", () => {
    const { model, problems } = parse(
      "ip access-list extended MAIL-IN",
      " remark only mail gets in",
      " permit tcp any host 10.0.0.2 eq smtp",
      " 20 deny tcp any any eq telnet",
      " deny ip any any log",
      " no deny tcp any any eq 23",
    );
    assert.deepEqual(problems, []);
    const list = model.accessLists[0];
    assert.equal(list?.name, "MAIL-IN");
    assert.equal(list.numbered, false);
    assert.equal(list.entries.length, 3);
    assert.ok(
      renderRunningConfig(model).includes(
        "ip access-list extended MAIL-IN\n remark only mail gets in\n" +
          " permit tcp any host 10.0.0.2 eq smtp\n deny ip any any log\n",
      ),
    );
  });

  it("reads standard lists", () => {
    const { model, problems } = parse(
      "access-list 10 permit 192.168.1.0 0.0.0.255",
      "access-list 10 deny 10.0.0.1",
      "access-list 10 permit any",
    );
    assert.deepEqual(problems, []);
    assert.match(
      renderRunningConfig(model),
      /access-list 10 deny 10\.0\.0\.1\naccess-list 10 permit any/,
    );
  });

  it("removes a whole list with no access-list N", () => {
    const { model } = parse(
      "access-list 101 permit tcp any any",
      "access-list 102 permit tcp any any",
      "no access-list 101",
      "ip access-list extended X",
      " permit ip any any",
      "no ip access-list extended X",
    );
    assert.deepEqual(
      model.accessLists.map((list) => list.name),
      ["102"],
    );
  });

  it("refuses bad numbers, protocols and ports", () => {
    const { problems, model } = parse(
      "access-list 250 permit tcp any any",
      "access-list 101 permit bogus any any",
      "access-list 101 permit tcp any any eq 70000",
      "access-list 101 permit tcp any any eq",
      "access-list 101 permit tcp any any range 30 20",
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [1, 2, 3, 4, 5],
    );
    assert.match(
      problems[0]?.message ?? "",
      /^% Invalid input detected at '\^' marker\.\naccess-list 250/,
    );
    assert.match(problems[2]?.message ?? "", /^% Port 70000 is out of range 1-65535\./);
    assert.match(problems[3]?.message ?? "", /^% Incomplete command\./);
    assert.deepEqual(model.accessLists, []);
  });
});
