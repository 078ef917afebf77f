import { connect } from "node:net";

/**
 * One SMTP session, greeting to QUIT, that sends each step when the reply before it is whole;
 * resolves with its duration in ms. For the latency benches.
 */
export function oneMessageSession(
  host: string,
  port: number,
  steps: readonly string[],
): Promise<number> {
  const started = performance.now();
  const queue = [...steps];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    let pending = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error("session timed out")));
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1");
      // Each complete final reply line lets the next step go.
      while (/^\d{3} .*\r\n/m.test(pending)) {
        pending = pending.replace(/^[\s\S]*?^\d{3} .*\r\n/m, "");
        const next = queue.shift();
        if (next === undefined) {
          socket.end();
          resolve(performance.now() - started);
          return;
        }
        socket.write(next);
      }
    });
  });
}
