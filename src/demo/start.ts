/**
 * `npm start`: the gateway of examples/demo.conf with the embedded demo mail server behind it,
 * both on loopback, so a newcomer can connect with any SMTP client at once.
 */
import { fileURLToPath } from "node:url";

import { loadConfigFile } from "../cli/config-file.js";
import { startFromModel } from "../cli/run.js";
import { DemoMailServer } from "./demo-server.js";

const CONFIG = fileURLToPath(new URL("../../examples/demo.conf", import.meta.url));

async function main(): Promise<void> {
  const { model, inert } = await loadConfigFile(CONFIG);
  const mailServer = new DemoMailServer({
    host: "127.10.10.2",
    port: 2525,
    onMessage: (message) => {
      process.stderr.write(
        `demo mail server: message from <${message.from}> to ${message.to.map((to) => `<${to}>`).join(", ")},` +
          ` ${message.octets} octets, sha256 ${message.sha256}\n`,
      );
    },
  });
  await mailServer.listen();
  const running = await startFromModel(model, inert);
  const [front] = running.gateway.listening;
  process.stderr.write(
    `smtpguard demo: gateway on ${front?.address ?? "?"}:${front?.port ?? 0}, ` +
      `demo mail server on 127.10.10.2:2525 (Ctrl-C stops both)\n` +
      `try: swaks --server 127.22.1.110:2525 --from a@example.org --to b@example.org\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.stop();
  await mailServer.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `smtpguard demo: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
