/**
 * Which sockets the gateway listens on, derived from the configuration as SPEC section 4 says:
 * a static NAT entry names the address clients connect to (global) and the server (local); the
 * interface whose subnet holds the global address is where the connection comes in, and its
 * inbound inspection rule and access list decide how it is inspected and admitted.
 */

import {
  findInspectRule,
  type InterfaceConfig,
  type RouterConfig,
  type StaticNat,
} from "../config/model.js";
import { smtpPorts } from "../config/nat-commands.js";
import { inSubnet } from "../config/values.js";

export type ListenerProtocol = "smtp" | "esmtp" | "tcp";

export interface ListenerSpec {
  readonly listenAddress: string;
  readonly listenPort: number;
  readonly upstreamAddress: string;
  readonly upstreamPort: number;
  /** The ingress interface. */
  readonly interfaceName: string;
  readonly ruleName: string;
  /** The interface's inbound access list, if one is bound. */
  readonly accessList: string | undefined;
  readonly protocol: ListenerProtocol;
}

/** The ingress interface of a global address: the first up interface whose subnet holds it. */
function ingressInterface(model: RouterConfig, address: string): InterfaceConfig | undefined {
  return model.interfaces.find(
    (candidate) =>
      !candidate.shutdown &&
      candidate.address !== undefined &&
      inSubnet(address, candidate.address.address, candidate.address.mask),
  );
}

/** The rule's mail protocol if it has one, else tcp if it has that, else nothing to relay. */
function ruleProtocols(
  model: RouterConfig,
  ruleName: string,
): {
  mail: "smtp" | "esmtp" | undefined;
  tcp: boolean;
} {
  const protocols = findInspectRule(model, ruleName)?.protocols.map((p) => p.protocol) ?? [];
  const mail = protocols.find((p) => p === "smtp" || p === "esmtp");
  return { mail, tcp: protocols.includes("tcp") };
}

export function deriveListeners(model: RouterConfig): ListenerSpec[] {
  const specs: ListenerSpec[] = [];
  const taken = new Set<string>();
  const ports = smtpPorts(model.portMaps);

  for (const nat of model.staticNats) {
    if (nat.kind === "port" && nat.protocol !== "tcp") continue;
    for (const spec of listenersFor(model, nat, ports)) {
      // Two translations of one global endpoint: the first, as IOS matches the first entry.
      const key = `${spec.listenAddress}:${spec.listenPort}`;
      if (taken.has(key)) continue;
      taken.add(key);
      specs.push(spec);
    }
  }
  return specs;
}

function listenersFor(model: RouterConfig, nat: StaticNat, ports: number[]): ListenerSpec[] {
  const ingress = ingressInterface(model, nat.global);
  const ruleName = ingress?.inspectIn;
  if (ingress === undefined || ruleName === undefined) return [];

  const { mail, tcp } = ruleProtocols(model, ruleName);
  const base = {
    listenAddress: nat.global,
    upstreamAddress: nat.local,
    interfaceName: ingress.name,
    ruleName,
    accessList: ingress.accessGroupIn,
  };

  // A port-level translation relays its own port: inspected as mail on an SMTP port, as
  // generic tcp otherwise (if the rule inspects tcp at all).
  if (nat.kind === "port") {
    const onSmtpPort = ports.includes(nat.globalPort);
    const protocol = onSmtpPort && mail !== undefined ? mail : tcp ? "tcp" : undefined;
    if (protocol === undefined) return [];
    return [{ ...base, listenPort: nat.globalPort, upstreamPort: nat.localPort, protocol }];
  }

  const protocol = mail ?? (tcp ? "tcp" : undefined);
  if (protocol === undefined) return [];
  return ports.map((port) => ({ ...base, listenPort: port, upstreamPort: port, protocol }));
}
