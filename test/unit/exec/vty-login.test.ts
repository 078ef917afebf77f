import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import {
  LoginGate,
  loginDisabledText,
  vtyNumbers,
  vtySettings,
} from "../../../src/exec/vty-login.js";

describe("vty login", () => {
  it("takes the vty lines of the configuration, or IOS's 0-4 without any", () => {
    const { model } = parseConfig("line vty 0 1\n login\nline vty 5\n password x\n");
    assert.deepEqual(vtyNumbers(model), [0, 1, 5]);
    assert.equal(vtySettings(model, 5).password?.text, "x");
    assert.equal(vtySettings(model, 5).login, false);
    const bare = parseConfig("hostname r\n").model;
    assert.deepEqual(vtyNumbers(bare), [0, 1, 2, 3, 4]);
    assert.equal(vtySettings(bare, 2).login, true, "IOS vtys ask for a password by default");
    assert.equal(vtySettings(bare, 2).password, undefined);
  });

  it("gives three tries, then refuses even the right password", () => {
    const gate = new LoginGate((candidate) => candidate === "cisco123");
    assert.equal(gate.check("a"), "retry");
    assert.equal(gate.check("b"), "retry");
    assert.equal(gate.check("c"), "refused");
    assert.equal(gate.check("cisco123"), "refused");
    assert.equal(new LoginGate((candidate) => candidate === "x").check("x"), "accepted");
  });

  it("words the refusal of a line without a password as IOS does", () => {
    assert.equal(loginDisabledText(2), "% Login disabled on line 2, until 'password' is set");
  });
});
