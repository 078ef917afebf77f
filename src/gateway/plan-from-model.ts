import { readFileSync } from "node:fs";

import { effectiveSettings } from "../config/inspection-policy.js";
import { ConfigFileError } from "../errors.js";
import {
  findAccessList,
  findInspectRule,
  type RouterConfig,
  type StaticNat,
} from "../config/model.js";
import { accessGroupMatcher } from "../firewall/acl.js";
import { deriveListeners, type ListenerSpec } from "../firewall/listeners.js";
import { inspectionPolicyFor } from "../config/inspection-policy.js";
import type { Endpoint } from "../log/catalogue.js";
import type { GatewayPlan, ListenerPlan } from "./plan.js";

/** The running system for a configuration: the model is the only source of truth. */
export function planFromModel(model: RouterConfig): GatewayPlan {
  return {
    hostname: model.hostname,
    listeners: deriveListeners(model).map((spec) => listenerPlan(model, spec)),
    synwaitSeconds: model.inspect.tcpSynwaitTime,
    finwaitSeconds: model.inspect.tcpFinwaitTime,
    proxyHeaderTimeoutSeconds: model.operations.proxyHeaderTimeout,
    shutdownGraceSeconds: model.operations.shutdownGrace,
    thresholds: {
      maxIncomplete: { ...model.inspect.maxIncomplete },
      oneMinute: { ...model.inspect.oneMinute },
      hostMaxIncomplete: model.inspect.hostMaxIncomplete,
      hostBlockMinutes: model.inspect.hostBlockTime,
      sourceMaxSessions: model.inspect.sourceMaxSessions,
      sourceOneMinute: model.inspect.sourceOneMinute,
    },
  };
}

function listenerPlan(model: RouterConfig, spec: ListenerSpec): ListenerPlan {
  const rule = findInspectRule(model, spec.ruleName);
  const entry = rule?.protocols.find((candidate) => candidate.protocol === spec.protocol);
  const settings = entry === undefined ? undefined : effectiveSettings(model, entry);
  const matcher = accessGroupMatcher(model, spec.accessList);
  return {
    listen: { address: spec.listenAddress, port: spec.listenPort },
    upstream: { address: spec.upstreamAddress, port: spec.upstreamPort },
    interfaceName: spec.interfaceName,
    ruleName: spec.ruleName,
    protocol: spec.protocol,
    policy: spec.protocol === "tcp" ? undefined : inspectionPolicyFor(model, spec.ruleName),
    admit: (initiator, responder) => {
      const verdict = matcher(initiator, responder);
      return { action: verdict.action, log: verdict.log, list: spec.accessList };
    },
    alert: settings?.alert ?? !model.inspect.alertOff,
    auditTrail: settings?.auditTrail ?? model.inspect.auditTrail,
    idleSeconds: settings?.timeout ?? model.inspect.tcpIdleTime,
    proxyToServer: translationOf(model, spec)?.proxyProtocol,
    xclient: translationOf(model, spec)?.xclient,
    tls: tlsCredentials(model, entry?.policyMap),
    proxyTrusted: trustedPeers(model, spec),
  };
}

/** The PEM files of a `terminate-tls` policy map, read now so a bad path fails at load. */
function tlsCredentials(
  model: RouterConfig,
  policyMap: string | undefined,
): { cert: Buffer; key: Buffer } | undefined {
  const files = model.policyMaps?.find((map) => map.name === policyMap)?.terminateTls;
  if (files === undefined) return undefined;
  return { cert: readPem(files.certificate), key: readPem(files.key) };
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigFileError(path, { cause: error });
  }
}

/** The static translation a listener comes from: the first with its global endpoint. */
function translationOf(model: RouterConfig, spec: ListenerSpec): StaticNat | undefined {
  return model.staticNats.find(
    (nat) =>
      nat.global === spec.listenAddress &&
      (nat.kind === "host" || (nat.protocol === "tcp" && nat.globalPort === spec.listenPort)),
  );
}

/**
 * `ip proxy-protocol trusted LIST` of the ingress interface: a peer is trusted if LIST permits it.
 */
function trustedPeers(
  model: RouterConfig,
  spec: ListenerSpec,
): ((peer: Endpoint) => boolean) | undefined {
  const ingress = model.interfaces.find((candidate) => candidate.name === spec.interfaceName);
  const list = ingress?.proxyTrusted;
  if (list === undefined) return undefined;
  // A list that does not exist, or has no entries, trusts nobody (for an access group, the
  // same would permit everyone).
  const entries = findAccessList(model, list)?.entries ?? [];
  if (!entries.some((entry) => entry.kind === "rule")) return () => false;
  const matcher = accessGroupMatcher(model, list);
  const listener = { address: spec.listenAddress, port: spec.listenPort };
  return (peer) => matcher(peer, listener).action === "permit";
}
