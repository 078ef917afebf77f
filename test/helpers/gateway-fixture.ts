import { Gateway } from "../../src/gateway/gateway.js";
import type { ListenerPlan } from "../../src/gateway/plan.js";
import { formatFwMessage, type FwMessage } from "../../src/log/catalogue.js";

export interface FixtureOptions {
  readonly upstreamPort: number;
  readonly listener?: Partial<ListenerPlan>;
  readonly synwaitSeconds?: number;
  readonly finwaitSeconds?: number;
}

/** A gateway on 127.0.0.1 with an ephemeral port in front of a test server, and its log. */
export async function startGateway(
  options: FixtureOptions,
): Promise<{ gateway: Gateway; port: number; logs: string[] }> {
  const logs: string[] = [];
  const listener: ListenerPlan = {
    listen: { address: "127.0.0.1", port: 0 },
    upstream: { address: "127.0.0.1", port: options.upstreamPort },
    interfaceName: "Ethernet2/0",
    ruleName: "OUT-IN",
    protocol: "esmtp",
    policy: { protocol: "esmtp", maxData: 20_000_000 },
    admit: () => ({ action: "permit", log: false }),
    alert: true,
    auditTrail: true,
    idleSeconds: 3600,
    ...options.listener,
  };
  const gateway = new Gateway({
    plan: {
      hostname: "gw.test",
      listeners: [listener],
      synwaitSeconds: options.synwaitSeconds ?? 30,
      finwaitSeconds: options.finwaitSeconds ?? 5,
    },
    log: (message: FwMessage) => logs.push(formatFwMessage(message)),
  });
  await gateway.start();
  return { gateway, port: gateway.listening[0]?.port ?? 0, logs };
}

/** Waits until the condition holds, polling; fails after the time limit. */
export async function eventually(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
