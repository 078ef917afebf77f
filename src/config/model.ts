/**
 * The typed configuration model: what a router's running-config says, as plain data. Fields are
 * always present (`| undefined` rather than optional) so that two models built from equivalent
 * texts compare equal with a deep equality.
 */

/** The places in a running-config where IOS prints each family of commands, in order. */
export const GLOBAL_SLOTS = [
  "start",
  "services",
  "hostname",
  "logging-buffered",
  "enable",
  "port-map",
  "inspect",
  "policy-map",
  "interfaces",
  "nat",
  "named-acl",
  "logging",
  "access-list",
  "vty",
] as const;

export type GlobalSlot = (typeof GLOBAL_SLOTS)[number];

export const INTERFACE_SLOTS = ["start", "address", "access-group", "inspect", "shutdown"] as const;

export type InterfaceSlot = (typeof INTERFACE_SLOTS)[number];

export const VTY_SLOTS = ["start", "password", "login"] as const;

export type VtySlot = (typeof VTY_SLOTS)[number];

/**
 * A command that has no meaning for a gateway, kept so that it is printed back where it was: it
 * follows the last command with effect that preceded it (its anchor).
 */
export interface InertCommand<Slot extends string> {
  anchor: Slot;
  text: string;
  /** Sub-mode lines (for `controller`, `voice-port` and the like), without indentation. */
  children: string[];
}

export type LogLevel =
  | "emergencies"
  | "alerts"
  | "critical"
  | "errors"
  | "warnings"
  | "notifications"
  | "informational"
  | "debugging";

export const LOG_LEVELS: readonly LogLevel[] = [
  "emergencies",
  "alerts",
  "critical",
  "errors",
  "warnings",
  "notifications",
  "informational",
  "debugging",
];

export type TimestampFormat =
  | { kind: "none" }
  | { kind: "uptime" }
  | { kind: "datetime"; msec: boolean; localtime: boolean; showTimezone: boolean; year: boolean };

/** A line password: the clear text, and the type-7 form it was given in (kept for re-printing). */
export interface LinePassword {
  text: string;
  type7: string | undefined;
}

/** `enable secret`: an MD5-crypt hash as IOS stores it (type 5). */
export interface EnableSecret {
  hash: string;
}

export interface InspectProtocolEntry {
  protocol: string;
  /** Set only for smtp and esmtp; undefined means the default (20000000). */
  maxData: number | undefined;
  /** undefined: inherit the global setting. */
  alert: boolean | undefined;
  auditTrail: boolean | undefined;
  /** Idle timeout in seconds; undefined: the global idle time of the protocol's transport. */
  timeout: number | undefined;
  /** esmtp only: the `policy-map type inspect esmtp` it applies (ours). */
  policyMap?: string;
}

/** What an esmtp policy map matches on (ASA `match ...`). */
export type PolicyCriterion =
  | "rcpt-count"
  | "cmd-line"
  | "header-line"
  | "body-line"
  | "sender"
  | "ehlo-others"
  | "ehlo-keyword"
  | "mime-filename";

export interface PolicyMatchAction {
  kind: "drop-connection" | "reset" | "log" | "mask";
  log: boolean;
}

export interface PolicyMatch {
  criterion: PolicyCriterion;
  /** The `gt` value; 0 for ehlo-reply-parameter. */
  value: number;
  /** For `match ehlo-reply-parameter KEYWORD`: the upper-cased keyword. */
  keyword?: string;
  action: PolicyMatchAction | undefined;
}

/** `policy-map type inspect esmtp NAME` (SPEC section 8, the ASA's esmtp map). */
export interface EsmtpPolicyMap {
  name: string;
  maskBanner: boolean;
  allowTls: boolean;
  /** Ours: a command pipelined past a sync point is masked (true) or only logged. */
  maskPipeliningViolation?: boolean;
  /** Ours: the gateway ends TLS on both legs with this certificate and key (PEM files). */
  terminateTls?: { certificate: string; key: string };
  specialCharacter: boolean;
  matches: PolicyMatch[];
}

export interface InspectRule {
  name: string;
  protocols: InspectProtocolEntry[];
}

/** Half-open thresholds; `Infinity` stands for IOS's `unlimited`. */
export interface Thresholds {
  high: number;
  low: number;
}

export interface InspectGlobals {
  auditTrail: boolean;
  alertOff: boolean;
  maxIncomplete: Thresholds;
  oneMinute: Thresholds;
  hostMaxIncomplete: number;
  /** Minutes; 0 deletes the oldest half-open session instead of blocking the host. */
  hostBlockTime: number;
  tcpSynwaitTime: number;
  tcpFinwaitTime: number;
  tcpIdleTime: number;
  udpIdleTime: number;
  dnsTimeout: number;
  /**
   * Beyond the router (ours): sessions one client address may hold at once, and new sessions
   * it may open in a minute; `Infinity` (the default) is off.
   */
  sourceMaxSessions: number;
  sourceOneMinute: number;
}

export interface InterfaceAddress {
  address: string;
  mask: string;
}

export interface InterfaceConfig {
  name: string;
  address: InterfaceAddress | undefined;
  shutdown: boolean;
  inspectIn: string | undefined;
  inspectOut: string | undefined;
  accessGroupIn: string | undefined;
  accessGroupOut: string | undefined;
  /** Ours: `ip proxy-protocol trusted LIST`, the load balancers whose PROXY header counts. */
  proxyTrusted?: string;
  inert: InertCommand<InterfaceSlot>[];
}

/**
 * An address and wildcard mask as an access-list entry writes it (`any` is 0.0.0.0
 * 255.255.255.255).
 */
export interface AddressMatch {
  address: string;
  wildcard: string;
}

export type PortOperator = "eq" | "neq" | "lt" | "gt" | "range";

export interface PortMatch {
  operator: PortOperator;
  /** One port, or two for `range`. */
  ports: number[];
}

export type AclAction = "permit" | "deny";

export type AccessListEntry =
  | { kind: "remark"; text: string }
  | {
      kind: "rule";
      action: AclAction;
      /**
       * `ip`, `tcp`, `udp`, `icmp`, another IP protocol name, or a number; "ip" for standard lists.
       */
      protocol: string;
      source: AddressMatch;
      sourcePort: PortMatch | undefined;
      /** undefined in a standard list. */
      destination: AddressMatch | undefined;
      destinationPort: PortMatch | undefined;
      established: boolean;
      log: "log" | "log-input" | undefined;
    };

export interface AccessList {
  name: string;
  /** numbered lists are `access-list N ...`; named ones are `ip access-list KIND NAME`. */
  numbered: boolean;
  kind: "standard" | "extended";
  entries: AccessListEntry[];
}

/** Ours: the PROXY protocol version written toward the server of a translation. */
export type ProxyProtocolVersion = "v1" | "v2";

export type StaticNat =
  | {
      kind: "host";
      local: string;
      global: string;
      extendable: boolean;
      proxyProtocol?: ProxyProtocolVersion;
      /** Ours: send Postfix's XCLIENT with the real client after the greeting. */
      xclient?: boolean;
    }
  | {
      kind: "port";
      protocol: "tcp" | "udp";
      local: string;
      localPort: number;
      global: string;
      globalPort: number;
      extendable: boolean;
      proxyProtocol?: ProxyProtocolVersion;
      /** Ours: send Postfix's XCLIENT with the real client after the greeting. */
      xclient?: boolean;
    };

export interface PortMapEntry {
  application: string;
  port: number;
}

export interface LoggingHost {
  address: string;
  transport: "udp" | "tcp";
  /** undefined: the transport's default (514 for udp, 601 for tcp). */
  port: number | undefined;
}

export interface LoggingConfig {
  /** undefined: not configured (IOS default); "disabled": `no logging buffered`. */
  buffered: { size: number; level: LogLevel } | "disabled" | undefined;
  hosts: LoggingHost[];
  trap: LogLevel;
}

/** Ours, beyond the router: what running as a service needs. */
export interface OperationsConfig {
  /** `ip inspect metrics ADDRESS PORT`: the Prometheus endpoint, on loopback only. */
  metrics: { address: string; port: number } | undefined;
  /** `ip inspect graceful-shutdown SECONDS`: how long sessions may finish after SIGTERM. */
  shutdownGrace: number;
  /** `ip inspect proxy-protocol timeout SECONDS`: how long a load balancer has for its header. */
  proxyHeaderTimeout: number;
  /** `logging format rfc3164|rfc5424`: the syslog message format. */
  syslogFormat: "rfc3164" | "rfc5424";
}

export function defaultOperations(): OperationsConfig {
  return { metrics: undefined, shutdownGrace: 30, proxyHeaderTimeout: 5, syslogFormat: "rfc3164" };
}

export interface VtyLine {
  first: number;
  last: number;
  password: LinePassword | undefined;
  login: boolean;
  inert: InertCommand<VtySlot>[];
}

/**
 * Ours: `ip inspect state-store redis URL [prefix NAME] [instance NAME] [share PERCENT]`, the
 * store several gateway instances share their thresholds through. Absent: in memory.
 */
export interface StateStoreConfig {
  url: string;
  prefix: string;
  /** This instance's name in the cluster; the hostname when not given. */
  instance: string | undefined;
  /** The part of every limit this instance keeps when the store does not answer. */
  share: number;
}

export interface RouterConfig {
  /** esmtp policy maps; absent until one is configured. */
  policyMaps?: EsmtpPolicyMap[];
  /** Ours: the shared threshold store; absent, thresholds are kept in memory. */
  stateStore?: StateStoreConfig | undefined;
  hostname: string;
  passwordEncryption: boolean;
  timestamps: { log: TimestampFormat; debug: TimestampFormat };
  enablePassword: LinePassword | undefined;
  enableSecret: EnableSecret | undefined;
  inspect: InspectGlobals;
  inspectRules: InspectRule[];
  portMaps: PortMapEntry[];
  interfaces: InterfaceConfig[];
  staticNats: StaticNat[];
  accessLists: AccessList[];
  logging: LoggingConfig;
  operations: OperationsConfig;
  vtyLines: VtyLine[];
  inert: InertCommand<GlobalSlot>[];
}

export const DEFAULT_HOSTNAME = "Router";
export const DEFAULT_LOGGING_BUFFER_OCTETS = 4096;

/**
 * IOS 12.3's global inspection defaults (the legacy numeric thresholds, not 12.4(11)T's unlimited).
 */
export function defaultInspectGlobals(): InspectGlobals {
  return {
    auditTrail: false,
    alertOff: false,
    maxIncomplete: { high: 500, low: 400 },
    oneMinute: { high: 500, low: 400 },
    hostMaxIncomplete: 50,
    hostBlockTime: 0,
    tcpSynwaitTime: 30,
    tcpFinwaitTime: 5,
    tcpIdleTime: 3600,
    udpIdleTime: 30,
    dnsTimeout: 5,
    sourceMaxSessions: Number.POSITIVE_INFINITY,
    sourceOneMinute: Number.POSITIVE_INFINITY,
  };
}

export function createRouterConfig(): RouterConfig {
  return {
    hostname: DEFAULT_HOSTNAME,
    passwordEncryption: false,
    timestamps: { log: { kind: "uptime" }, debug: { kind: "uptime" } },
    enablePassword: undefined,
    enableSecret: undefined,
    inspect: defaultInspectGlobals(),
    inspectRules: [],
    portMaps: [],
    interfaces: [],
    staticNats: [],
    accessLists: [],
    logging: { buffered: undefined, hosts: [], trap: "informational" },
    operations: defaultOperations(),
    vtyLines: [],
    inert: [],
  };
}

export function createInterface(name: string): InterfaceConfig {
  return {
    name,
    address: undefined,
    shutdown: false,
    inspectIn: undefined,
    inspectOut: undefined,
    accessGroupIn: undefined,
    accessGroupOut: undefined,
    inert: [],
  };
}

/** A deep copy, so that `configure terminal` can work on a candidate and keep the original. */
export function cloneRouterConfig(model: RouterConfig): RouterConfig {
  return structuredClone(model);
}

export function findInspectRule(model: RouterConfig, name: string): InspectRule | undefined {
  return model.inspectRules.find((rule) => rule.name === name);
}

export function findAccessList(model: RouterConfig, name: string): AccessList | undefined {
  return model.accessLists.find((list) => list.name === name);
}
