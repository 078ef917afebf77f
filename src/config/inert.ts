/**
 * Commands a gateway has no use for but a router configuration is full of. They are accepted,
 * kept in their place, printed back, and listed once as "not applicable" at start-up.
 *
 * A pattern is a list of words; each may be abbreviated as on IOS, `*` takes the rest of the
 * line (at least one word unless it is `*?`), and a leading `>` marks a command that opens a
 * sub-mode of its own (its indented lines belong to it).
 */

import { tokenize } from "./tokens.js";

export interface InertLine {
  /** 1-based line in the text it came from. */
  readonly line: number;
  readonly text: string;
}

const GLOBAL_PATTERNS = [
  "version *",
  "service config",
  "service tcp-keepalives-in",
  "service tcp-keepalives-out",
  "service pad",
  "no service pad",
  "no service config",
  "service compress-config",
  "service sequence-numbers",
  "service internal",
  "service udp-small-servers",
  "service tcp-small-servers",
  "no service dhcp",
  "no service finger",
  "boot-start-marker",
  "boot-end-marker",
  "boot *",
  "card *",
  "voice-card *",
  "no aaa new-model",
  "aaa *",
  "resource policy",
  "clock *",
  "memory-size *",
  "ip subnet-zero",
  "no ip subnet-zero",
  "ip cef",
  "no ip cef",
  "ip classless",
  "no ip classless",
  "ip route *",
  "ip http *",
  "no ip http *",
  "ip dhcp *",
  "no ip dhcp *",
  "ip domain-name *",
  "ip domain name *",
  "ip domain lookup *?",
  "no ip domain lookup *?",
  "no ip domain-lookup",
  "ip name-server *",
  "ip ips *",
  "no ip ips *",
  "ip audit *",
  "no ip audit *",
  "ip source-route",
  "no ip source-route",
  "ip finger",
  "no ip finger",
  "no ip bootp server",
  "ip multicast-routing *?",
  "ip forward-protocol *",
  "ip ssh *",
  "ip tcp *",
  "ip nat pool *",
  "ip nat inside source list *",
  "ip nat inside source route-map *",
  "ip nat outside source *",
  "ip nat translation *",
  "ftp-server *",
  "no ftp-server *",
  "username *",
  "cdp *",
  "no cdp *",
  "snmp-server *",
  "no snmp-server *",
  "ntp *",
  "scheduler *",
  "mmi *",
  "no mmi *",
  "network-clock-participate *",
  "no network-clock-participate *",
  "logging console *?",
  "no logging console *?",
  "logging monitor *?",
  "no logging monitor *?",
  "logging facility *",
  "logging source-interface *",
  "logging rate-limit *",
  "mgcp *",
  "no mgcp *",
  "> controller *",
  "> voice-port *",
  "> control-plane",
  "> dial-peer *",
  "> router *",
  "> line con *",
  "> line console *",
  "> line aux *",
  "> line tty *",
  "> key chain *",
  "> class-map *",
  "> policy-map *",
  "> gatekeeper",
  "> telephony-service",
] as const;

const INTERFACE_PATTERNS = [
  "ip nat inside",
  "ip nat outside",
  "ip virtual-reassembly *?",
  "no ip virtual-reassembly",
  "half-duplex",
  "full-duplex",
  "duplex *",
  "speed *",
  "description *",
  "ip route-cache *?",
  "no ip route-cache *?",
  "ip mroute-cache",
  "no ip mroute-cache",
  "ip redirects",
  "no ip redirects",
  "ip unreachables",
  "no ip unreachables",
  "ip proxy-arp",
  "no ip proxy-arp",
  "ip directed-broadcast",
  "no ip directed-broadcast",
  "ip mtu *",
  "ip tcp adjust-mss *",
  "encapsulation *",
  "clock rate *",
  "no fair-queue",
  "fair-queue *?",
  "bandwidth *",
  "load-interval *",
  "mtu *",
  "keepalive *?",
  "no keepalive",
  "media-type *",
  "no cdp enable",
  "cdp enable",
  "no mop enabled",
  "serial restart-delay *",
  "negotiation auto",
] as const;

const VTY_PATTERNS = [
  "exec-timeout *",
  "transport *",
  "logging synchronous",
  "privilege *",
  "access-class *",
  "session-timeout *",
  "history *",
  "length *",
  "width *",
  "no exec",
  "exec",
] as const;

export type InertMode = "global" | "interface" | "vty";

const PATTERNS: Readonly<Record<InertMode, readonly string[]>> = {
  global: GLOBAL_PATTERNS,
  interface: INTERFACE_PATTERNS,
  vty: VTY_PATTERNS,
};

export interface InertMatch {
  /** The command opens a sub-mode whose indented lines belong to it. */
  readonly opensMode: boolean;
}

/** Whether a line is an inert command of the given mode. */
export function matchInert(text: string, mode: InertMode): InertMatch | undefined {
  const words = tokenize(text).map((token) => token.text.toLowerCase());
  for (const pattern of PATTERNS[mode]) {
    const opensMode = pattern.startsWith("> ");
    const patternWords = (opensMode ? pattern.slice(2) : pattern).split(" ");
    if (matchesPattern(words, patternWords)) return { opensMode };
  }
  return undefined;
}

function matchesPattern(words: readonly string[], pattern: readonly string[]): boolean {
  for (const [index, expected] of pattern.entries()) {
    if (expected === "*") return words.length > index;
    if (expected === "*?") return true;

    const word = words[index];
    if (word === undefined || !expected.startsWith(word)) return false;
  }
  return words.length === pattern.length;
}
