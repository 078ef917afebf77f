import type { ThresholdSettings } from "../firewall/half-open-guard.js";
import type { SessionProtocol } from "../firewall/session-table.js";
import type { InspectionPolicy } from "../inspect/policy.js";
import type { Endpoint } from "../log/catalogue.js";
import type { ProxyVersion } from "./proxy-header-encoder.js";

/** What the access list says of a new connection. */
export interface AdmissionVerdict {
  readonly action: "permit" | "deny";
  readonly log: boolean;
  readonly list?: string | undefined;
}

/** One listener and everything a session accepted on it needs, derived from the model. */
export interface ListenerPlan {
  readonly listen: Endpoint;
  readonly upstream: Endpoint;
  readonly interfaceName: string;
  readonly ruleName: string;
  readonly protocol: SessionProtocol;
  /** The inspection policy for smtp and esmtp rules; tcp rules relay without one. */
  readonly policy?: InspectionPolicy | undefined;
  readonly admit: (initiator: Endpoint, responder: Endpoint) => AdmissionVerdict;
  /** `alert` of the rule, already combined with `ip inspect alert-off`. */
  readonly alert: boolean;
  /** `audit-trail` of the rule, already combined with `ip inspect audit-trail`. */
  readonly auditTrail: boolean;
  /** The rule's timeout, else `ip inspect tcp idle-time`. */
  readonly idleSeconds: number;
  /** Ours: the PROXY header written toward the server before any other byte (per NAT entry). */
  readonly proxyToServer?: ProxyVersion | undefined;
  /** Tell the server the real client with Postfix's XCLIENT after its greeting. */
  readonly xclient?: boolean | undefined;
  /** The certificate and key (PEM) the gateway offers when it terminates STARTTLS. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  /**
   * Ours: the peers (load balancers) whose PROXY header is read and believed; absent, none is.
   * Everyone else's bytes are SMTP, a header included.
   */
  readonly proxyTrusted?: ((peer: Endpoint) => boolean) | undefined;
}

/** The running system, built from the configuration model. */
export interface GatewayPlan {
  readonly hostname: string;
  readonly listeners: readonly ListenerPlan[];
  readonly synwaitSeconds: number;
  readonly finwaitSeconds: number;
  /** Half-open thresholds; absent means none (unlimited). */
  readonly thresholds?: ThresholdSettings | undefined;
  /** Ours: how long a trusted load balancer has to send its PROXY header. */
  readonly proxyHeaderTimeoutSeconds?: number | undefined;
  /** Ours: how long running sessions may finish after SIGTERM before they are reset. */
  readonly shutdownGraceSeconds?: number | undefined;
}
