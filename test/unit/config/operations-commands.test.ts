import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseConfig } from "../../../src/config/parser.js";
import { renderRunningConfig } from "../../../src/config/render.js";
import { planFromModel } from "../../../src/gateway/plan-from-model.js";

const TEXT = `hostname gw
ip inspect name MAIL esmtp
ip inspect metrics 127.0.0.1 9225
ip inspect graceful-shutdown 10
ip inspect proxy-protocol timeout 3
interface Ethernet0
 ip address 127.22.1.1 255.255.255.0
 ip inspect MAIL in
 ip proxy-protocol trusted LB
ip nat inside source static 127.10.10.2 127.22.1.110 proxy-protocol v2
ip access-list standard LB
 permit 127.0.0.5
logging host 127.0.0.1 transport tcp port 6514
logging format rfc5424
`;

describe("configuration lines of ours for running as a service", () => {
  it("reads them into the model and prints them back", () => {
    const { model, problems } = parseConfig(TEXT);
    assert.deepEqual(problems, []);
    assert.deepEqual(model.operations, {
      metrics: { address: "127.0.0.1", port: 9225 },
      shutdownGrace: 10,
      proxyHeaderTimeout: 3,
      syslogFormat: "rfc5424",
    });
    assert.equal(model.interfaces[0]?.proxyTrusted, "LB");
    assert.equal(model.staticNats[0]?.proxyProtocol, "v2");
    const again = parseConfig(renderRunningConfig(model));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.model, model);
  });

  it("builds the plan: the header toward the server, the trusted balancers, the timers", () => {
    const plan = planFromModel(parseConfig(TEXT).model);
    const listener = plan.listeners[0];
    assert.equal(listener?.proxyToServer, "v2");
    const listen = { address: "127.22.1.110", port: 25 };
    assert.equal(listener.proxyTrusted?.({ address: "127.0.0.5", port: 1 }), true);
    assert.equal(listener.proxyTrusted({ address: "127.0.0.6", port: 1 }), false);
    assert.deepEqual(listener.listen, listen);
    assert.equal(plan.shutdownGraceSeconds, 10);
    assert.equal(plan.proxyHeaderTimeoutSeconds, 3);
  });

  it("trusts nobody when the named list does not exist", () => {
    const text = TEXT.replace("trusted LB", "trusted NOSUCH");
    const listener = planFromModel(parseConfig(text).model).listeners[0];
    assert.equal(listener?.proxyTrusted?.({ address: "127.0.0.5", port: 1 }), false);
  });

  it("serves metrics on loopback only, and the no forms restore the defaults", () => {
    const refused = parseConfig("ip inspect metrics 192.0.2.1 9225\n");
    assert.match(refused.problems[0]?.message ?? "", /loopback address only/);
    const undone = parseConfig(
      `${TEXT}no ip inspect metrics\nno ip inspect graceful-shutdown\nno logging format\n`,
    );
    assert.equal(undone.model.operations.metrics, undefined);
    assert.equal(undone.model.operations.shutdownGrace, 30);
    assert.equal(undone.model.operations.syslogFormat, "rfc3164");
  });
});
