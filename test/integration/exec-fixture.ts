import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadConfigFile } from "../../src/cli/config-file.js";
import { startFromModel, type RunningGateway } from "../../src/cli/run.js";
import { encodeType7 } from "../../src/config/type7.js";
import { DemoMailServer } from "../../src/demo/demo-server.js";
import { ControlClient } from "../../src/exec/control-client.js";
import type { ControlReply } from "../../src/exec/control-protocol.js";
import { startConsoles, type RunningConsoles } from "../../src/exec/consoles.js";
import type { Endpoint } from "../../src/log/catalogue.js";
import { ScriptServer } from "../helpers/script-server.js";

/** The enable password of the fixture's configuration (given as type 7). */
export const ENABLE_PASSWORD = "enablepw";
/** The vty password of the fixture: the source's `121A0C0411045D5679`. */
export const VTY_PASSWORD = "cisco123";

/**
 * A gateway started in-process from a configuration file in a temporary folder, with two
 * listeners on loopback: `mail` in front of a real mail server (smtp-server), `quiet` in front
 * of a server that never says a word (its sessions stay half-open). The control socket and the
 * vty are open; the console log is collected rather than printed.
 */
export interface ExecFixture {
  readonly dir: string;
  readonly configPath: string;
  readonly controlPath: string;
  readonly mail: Endpoint;
  readonly quiet: Endpoint;
  readonly vtyPort: number;
  readonly mailServer: DemoMailServer;
  readonly running: RunningGateway;
  readonly consoles: RunningConsoles;
  readonly consoleLog: string[];
  /** Runs commands on one control connection; the replies in order. */
  exec(...commands: string[]): Promise<ControlReply[]>;
  stop(): Promise<void>;
}

/** A port free on `address` now (bound, read and released). */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, address, () => {
      const bound = probe.address();
      const port = bound !== null && typeof bound !== "string" ? bound.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/** The fixture's configuration: `mail` and `quiet` listen ports, `demo` and `silent` upstreams. */
export function configText(ports: {
  mail: number;
  quiet: number;
  demo: number;
  silent: number;
}): string {
  return [
    "hostname gw-test",
    "service timestamps debug datetime msec",
    "service timestamps log datetime msec",
    "logging buffered 16384 debugging",
    `enable password 7 ${encodeType7(ENABLE_PASSWORD)}`,
    `ip port-map smtp port ${ports.mail}`,
    `ip port-map smtp port ${ports.quiet}`,
    "ip inspect name OUT-IN esmtp",
    "interface Ethernet2/0",
    " ip address 127.22.9.1 255.255.255.0",
    " ip access-group 101 in",
    " ip inspect OUT-IN in",
    `ip nat inside source static tcp 127.0.0.1 ${ports.demo} 127.22.9.110 ${ports.mail}`,
    `ip nat inside source static tcp 127.0.0.1 ${ports.silent} 127.22.9.111 ${ports.quiet}`,
    "access-list 101 permit tcp any any",
    "line vty 0 1",
    " password 7 121A0C0411045D5679",
    " login",
    "",
  ].join("\n");
}

export async function startExecFixture(): Promise<ExecFixture> {
  const dir = await mkdtemp(join(tmpdir(), "smtpguard-exec-"));
  const mailServer = new DemoMailServer({ host: "127.0.0.1", port: 0 });
  await mailServer.listen();
  const silent = new ScriptServer({ silent: true });
  await silent.listen();

  const mail = { address: "127.22.9.110", port: await freePort("127.22.9.110") };
  const quiet = { address: "127.22.9.111", port: await freePort("127.22.9.111") };
  const configPath = join(dir, "router.conf");
  const ports = { mail: mail.port, quiet: quiet.port, demo: mailServer.port, silent: silent.port };
  await writeFile(configPath, configText(ports), { mode: 0o600 });

  const { model, inert } = await loadConfigFile(configPath);
  const consoleLog: string[] = [];
  const running = await startFromModel(model, inert, {
    console: { write: (text: string) => consoleLog.push(text) },
  });
  const controlPath = join(dir, "control.sock");
  const consoles = await startConsoles(running, model, {
    configPath,
    controlPath,
    vty: { address: "127.0.0.1", port: 0 },
  });

  return {
    dir,
    configPath,
    controlPath,
    mail,
    quiet,
    vtyPort: consoles.vty?.address.port ?? 0,
    mailServer,
    running,
    consoles,
    consoleLog,
    exec: (...commands) => execOn(controlPath, commands),
    stop: async () => {
      await consoles.close();
      await running.stop();
      await mailServer.close();
      await silent.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function execOn(path: string, commands: readonly string[]): Promise<ControlReply[]> {
  const client = await ControlClient.connect(path);
  try {
    const replies: ControlReply[] = [];
    for (const command of commands) replies.push(await client.request(command, 10_000));
    return replies;
  } finally {
    client.destroy();
  }
}
