/** One load shape, run by Postfix's smtp-source against every path. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  /** smtp-source -s: sessions in parallel. */
  readonly sessions: number;
  /** smtp-source -m: messages in one run, the same for every path. */
  readonly messages: number;
  /** smtp-source -l: payload octets per message, headers not counted. */
  readonly length: number;
  /** smtp-source -d: send every message of a session over one connection. */
  readonly persistent: boolean;
}

/** One kibibyte of payload, the small-message size. */
const SMALL = 1_024;
/** One megabyte of payload. */
const LARGE = 1_000_000;

// Counts are chosen so that a run on the slowest path takes one to two seconds on two cores.
const WORKLOADS: readonly Workload[] = [
  {
    id: "conn-1k",
    title: "1 KiB, new connection each, 20 sessions",
    sessions: 20,
    messages: 6_000,
    length: SMALL,
    persistent: false,
  },
  {
    id: "persistent-1k",
    title: "1 KiB, 20 persistent sessions",
    sessions: 20,
    messages: 30_000,
    length: SMALL,
    persistent: true,
  },
  {
    id: "1mb",
    title: "1 MB, new connection each, 20 sessions",
    sessions: 20,
    messages: 600,
    length: LARGE,
    persistent: false,
  },
  {
    id: "conn-1k-200",
    title: "1 KiB, new connection each, 200 sessions",
    sessions: 200,
    messages: 6_000,
    length: SMALL,
    persistent: false,
  },
];

/** The workloads with their message counts multiplied by `scale` (at least one per session). */
export function workloads(scale: number): Workload[] {
  return WORKLOADS.map((workload) => scaled(workload, scale));
}

/** The warm-up before measured rounds: a tenth of the load, enough to get the JIT going. */
export function warmUp(workload: Workload): Workload {
  return scaled(workload, 0.1);
}

/** smtp-source's arguments for one run of `workload` against 127.0.0.1:port. */
export function smtpSourceArgs(workload: Workload, port: number): string[] {
  return [
    ...(workload.persistent ? ["-d"] : []),
    "-s",
    String(workload.sessions),
    "-m",
    String(workload.messages),
    "-l",
    String(workload.length),
    // A fixed HELO name and addresses, so every machine sends the same octets.
    "-M",
    "bench.smtpguard.test",
    `127.0.0.1:${port}`,
  ];
}

function scaled(workload: Workload, scale: number): Workload {
  const messages = Math.max(workload.sessions, Math.round(workload.messages * scale));
  return { ...workload, messages };
}
