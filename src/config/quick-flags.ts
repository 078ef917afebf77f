/**
 * The command-line quick start (`--listen`, `--upstream`, `--inspect`, `--max-data`) as the same
 * model a configuration file builds, so that `show running-config` prints its IOS equivalent.
 */

import { UsageError } from "../errors.js";
import type { InspectProtocol } from "../inspect/policy.js";
import { createInterface, createRouterConfig, type RouterConfig } from "./model.js";
import { ipv4ToNumber, numberToIpv4 } from "./values.js";

export interface QuickFlags {
  /** `ADDR:PORT` clients connect to. */
  readonly listen: string;
  /** `ADDR:PORT` of the mail server. */
  readonly upstream: string;
  readonly inspect: InspectProtocol;
  readonly maxData?: number;
}

export const QUICK_RULE_NAME = "SMTP-IN";
export const QUICK_INTERFACE_NAME = "Ethernet0/0";
const QUICK_HOSTNAME = "smtpguard";
const QUICK_MASK = "255.255.255.0";
// IOS refuses a subnet's network or broadcast address on an interface; a host route fits any.
const HOST_MASK = "255.255.255.255";
const SMTP_PORT = 25;

interface Endpoint {
  readonly address: string;
  readonly port: number;
}

function parseEndpoint(flag: string, value: string): Endpoint {
  const match = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(value);
  const number = ipv4ToNumber(match?.[1] ?? "");
  const port = Number(match?.[2]);
  if (number === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(`--${flag} wants an IPv4 ADDR:PORT, got "${value}"`);
  }
  return { address: numberToIpv4(number), port };
}

/**
 * One outside interface whose subnet holds the listen address, a rule bound inbound on it, a
 * port-level static NAT from the listen endpoint to the upstream, and a port-map when the listen
 * port is not 25.
 */
export function modelFromQuickFlags(flags: QuickFlags): RouterConfig {
  const listen = parseEndpoint("listen", flags.listen);
  const upstream = parseEndpoint("upstream", flags.upstream);
  if (flags.maxData !== undefined && (!Number.isInteger(flags.maxData) || flags.maxData < 1)) {
    throw new UsageError(`--max-data wants a positive number of octets, got ${flags.maxData}`);
  }

  const model = createRouterConfig();
  model.hostname = QUICK_HOSTNAME;
  model.inspectRules.push({
    name: QUICK_RULE_NAME,
    protocols: [
      {
        protocol: flags.inspect,
        maxData: flags.maxData,
        alert: undefined,
        auditTrail: undefined,
        timeout: undefined,
      },
    ],
  });
  if (listen.port !== SMTP_PORT) model.portMaps.push({ application: "smtp", port: listen.port });

  const outside = createInterface(QUICK_INTERFACE_NAME);
  const lastOctet = (ipv4ToNumber(listen.address) ?? 0) & 0xff;
  const mask = lastOctet === 0 || lastOctet === 255 ? HOST_MASK : QUICK_MASK;
  outside.address = { address: listen.address, mask };
  outside.inspectIn = QUICK_RULE_NAME;
  model.interfaces.push(outside);

  model.staticNats.push({
    kind: "port",
    protocol: "tcp",
    local: upstream.address,
    localPort: upstream.port,
    global: listen.address,
    globalPort: listen.port,
    extendable: false,
  });
  return model;
}
