import { connect, createServer, type Socket } from "node:net";

/**
 * The floor for any Node proxy: accept, connect upstream, pipe both ways, and nothing else.
 * Run as plain JavaScript (the bench transpiles it), so it carries no loader of its own.
 * Usage: node node-relay.mjs LISTEN_PORT UPSTREAM_PORT
 */
export function startNodeRelay(listenPort: number, upstreamPort: number): void {
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    closeTogether(client, upstream);
  });
  server.listen(listenPort, "127.0.0.1");
}

function closeTogether(one: Socket, other: Socket): void {
  const close = (): void => {
    one.destroy();
    other.destroy();
  };
  for (const socket of [one, other]) socket.on("error", close).on("close", close);
}

const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
if (listenPort !== undefined && upstreamPort !== undefined) {
  startNodeRelay(listenPort, upstreamPort);
  // A clean exit on SIGTERM lets `--cpu-prof` write its profile.
  process.once("SIGTERM", () => process.exit(0));
}
