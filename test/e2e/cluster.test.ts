import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { RunningProcess, runCli, which } from "../helpers/cli.js";
import { freePort, HaproxyProcess } from "../helpers/haproxy.js";

const REDIS = which("redis-server");
const SKIP =
  REDIS === undefined
    ? "redis-server is not installed (Debian: redis-server)"
    : which("haproxy") === undefined
      ? "haproxy is not installed (Debian: haproxy)"
      : false;
if (REDIS === undefined) console.log(`# cluster tests skipped: ${String(SKIP)}`);

/** Every flood stops after this many connections, and every wait within WAIT_MS. */
const FLOOD_CONNECTIONS = 36;
const MAX_INCOMPLETE_HIGH = 10;
const WAIT_MS = 10_000;
const INSTANCES = 3;
/** Every instance listens on this address (one destination host), each on its own port. */
const HOST = "127.23.1.110";

interface Cluster {
  readonly gateways: RunningProcess[];
  readonly ports: number[];
  readonly controls: string[];
}

function redisArgs(port: number): string[] {
  return ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
}

async function startRedis(port: number): Promise<RunningProcess> {
  const redis = new RunningProcess(REDIS ?? "redis-server", redisArgs(port));
  const deadline = Date.now() + WAIT_MS;
  while (!/Ready to accept connections/.test(redis.stdout)) {
    if (Date.now() > deadline) throw new Error(`redis-server did not start: ${redis.stdout}`);
    await sleep(20);
  }
  return redis;
}

/** A mail server that accepts and never greets: every session stays half-open. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address !== null ? address.port : 0,
    sockets,
  };
}

function configText(
  n: number,
  ports: { gateway: number; upstream: number; redis: number },
  thresholds: string,
): string {
  return `hostname gw${n}
ip port-map smtp port ${ports.gateway}
ip inspect name MAIL smtp
${thresholds}
ip inspect state-store redis redis://127.0.0.1:${ports.redis} prefix ${thresholds.includes("block-time") ? "blk" : "flood"} instance gw${n} share 50
interface Ethernet0
 ip address 127.23.1.1 255.255.255.0
 ip inspect MAIL in
ip nat inside source static tcp 127.0.0.1 ${ports.upstream} ${HOST} ${ports.gateway}
`;
}

async function startCluster(
  directory: string,
  upstream: number,
  redis: number,
  thresholds: string,
): Promise<Cluster> {
  const cluster: Cluster = { gateways: [], ports: [], controls: [] };
  for (let n = 1; n <= INSTANCES; n++) {
    const gateway = await freePort();
    const file = join(directory, `${thresholds.length}-gw${n}.conf`);
    const control = join(directory, `${thresholds.length}-gw${n}.ctl`);
    writeFileSync(file, configText(n, { gateway, upstream, redis }, thresholds));
    const process = RunningProcess.cli(["run", "--config", file, "--control", control]);
    cluster.gateways.push(process);
    cluster.ports.push(gateway);
    cluster.controls.push(control);
  }
  for (const gateway of cluster.gateways)
    await gateway.waitForStderr(/listening on 127\.23\.1\.110/);
  // The first heartbeat puts each instance in the cluster.
  await sleep(1_500);
  return cluster;
}

async function stopCluster(cluster: Cluster): Promise<void> {
  await Promise.all(cluster.gateways.map((gateway) => gateway.stop()));
}

/** A client connection; `fate` settles when the gateway resets or closes it. */
function open(port: number): { socket: Socket; ended: () => boolean } {
  const socket = connect({ host: HOST, port });
  let ended = false;
  socket.on("error", () => (ended = true));
  socket.on("close", () => (ended = true));
  return { socket, ended: () => ended };
}

function show(control: string, command: string): string {
  return runCli(["exec", "--control", control, command]).stdout;
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern, "g"))?.length ?? 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("several instances as one firewall through Redis", { skip: SKIP, timeout: 60_000 }, () => {
  const directory = mkdtempSync(join(tmpdir(), "smtpguard-cluster-"));
  let redisPort = 0;
  let redis: RunningProcess;
  let mail: Awaited<ReturnType<typeof silentServer>>;
  const clients: Socket[] = [];

  before(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    mail = await silentServer();
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await redis.stop();
    for (const socket of mail.sockets) socket.destroy();
    mail.server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("a flood spread over the instances trips max-incomplete once and stays under it", async () => {
    const cluster = await startCluster(
      directory,
      mail.port,
      redisPort,
      `ip inspect max-incomplete high ${MAX_INCOMPLETE_HIGH}\nip inspect max-incomplete low 8`,
    );
    // The instances behind HAProxy, round robin, as a site would run them.
    const front = await freePort();
    const servers = cluster.ports.map((port, n) => `  server gw${n + 1} ${HOST}:${port}`);
    const haproxy = new HaproxyProcess(
      `frontend clients\n  bind ${HOST}:${front}\n  default_backend gateways\n` +
        `backend gateways\n  balance roundrobin\n${servers.join("\n")}`,
    );
    try {
      await haproxy.ready(front, 5_000, HOST);
      const flood: ReturnType<typeof open>[] = [];
      for (let i = 0; i < FLOOD_CONNECTIONS; i++) {
        const client = open(front);
        clients.push(client.socket);
        flood.push(client);
        await sleep(15);
      }
      await sleep(500);

      const stderr = cluster.gateways.map((gateway) => gateway.stderr).join("");
      assert.equal(count(stderr, /%FW-4-ALERT_ON/), 1, stderr);
      const alive = flood.filter((client) => !client.ended()).length;
      assert.ok(alive <= MAX_INCOMPLETE_HIGH, `${alive} half-open sessions survive`);
      assert.ok(alive >= MAX_INCOMPLETE_HIGH - INSTANCES, `only ${alive} survive`);

      const statistics = show(cluster.controls[0] ?? "", "show ip inspect statistics");
      assert.match(statistics, /Cluster instances 3/);
      const listed = show(cluster.controls[0] ?? "", "show ip inspect sessions cluster");
      assert.equal(count(listed, /SIS_OPENING instance gw/), alive, listed);

      // An instance killed outright: its share expires with its heartbeat.
      cluster.gateways[2]?.child.kill("SIGKILL");
      await until(
        () =>
          /Cluster instances 2/.test(show(cluster.controls[0] ?? "", "show ip inspect statistics")),
        "the dead instance to leave",
      );
    } finally {
      await haproxy.stop();
      await stopCluster(cluster);
    }
  });

  it("a host block made through one instance refuses connections on the others", async () => {
    const cluster = await startCluster(
      directory,
      mail.port,
      redisPort,
      "ip inspect tcp max-incomplete host 4 block-time 1",
    );
    try {
      for (let i = 0; i < 5; i++) {
        clients.push(open(cluster.ports[0] ?? 0).socket);
        await sleep(20);
      }
      await cluster.gateways[0]?.waitForStderr(/%FW-2-BLOCK_HOST/);
      for (const port of cluster.ports.slice(1)) {
        const probe = open(port);
        clients.push(probe.socket);
        await until(probe.ended, "the blocked host to refuse");
      }
      const stderr = cluster.gateways.map((gateway) => gateway.stderr).join("");
      assert.equal(count(stderr, /%FW-2-BLOCK_HOST/), 1, stderr);
    } finally {
      await stopCluster(cluster);
    }
  });

  it("with Redis stopped the instances serve on their own, and rejoin when it returns", async () => {
    // Nothing is logged about the store while it answers.
    const cluster = await startCluster(
      directory,
      mail.port,
      redisPort,
      "ip inspect max-incomplete low 90\nip inspect max-incomplete high 100",
    );
    try {
      const stderr = cluster.gateways.map((gateway) => gateway.stderr).join("");
      assert.doesNotMatch(stderr, /STATE_STORE/);
      await redis.stop();
      for (const gateway of cluster.gateways) await gateway.waitForStderr(/%FW-4-STATE_STORE_DOWN/);
      const served = open(cluster.ports[1] ?? 0);
      clients.push(served.socket);
      await sleep(300);
      assert.equal(served.ended(), false, "a connection is admitted while Redis is away");

      redis = await startRedis(redisPort);
      for (const gateway of cluster.gateways) {
        await gateway.waitForStderr(/%FW-5-STATE_STORE_UP/);
      }
      // Every instance renews its share within a heartbeat of rejoining.
      await sleep(1_200);
      assert.match(
        show(cluster.controls[0] ?? "", "show ip inspect statistics"),
        /Cluster instances 3/,
      );
    } finally {
      await stopCluster(cluster);
    }
  });
});
