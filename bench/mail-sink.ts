import { existsSync } from "node:fs";
import { join } from "node:path";

import { startDaemon, type Daemon } from "./processes.js";

/** Postfix's smtp-sink: a mail server that answers at once (smtp-server waits 100 ms to greet). */
export function startMailSink(host: string, port: number, workDir: string): Daemon {
  const program = ["/usr/sbin/smtp-sink", "/usr/bin/smtp-sink"].find((path) => existsSync(path));
  if (program === undefined) throw new Error("smtp-sink is missing: apt-get install postfix");
  // As root it must drop to an unprivileged user.
  const user = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
  return startDaemon(
    "smtp-sink",
    program,
    [...user, `${host}:${port}`, "256"],
    join(workDir, "sink.log"),
  );
}
