import type { Socket } from "node:net";
import { connect, createSecureContext, TLSSocket } from "node:tls";

/** The certificate and key the gateway shows the client when it terminates STARTTLS. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface UpgradedLegs {
  readonly client: TLSSocket;
  readonly server: TLSSocket;
  /** Settles when both handshakes are done; rejects on the first failure. */
  readonly ready: Promise<void>;
}

/**
 * Starts TLS on both legs after the server's 220 to STARTTLS (RFC 3207): the gateway is the
 * TLS server toward the client, with its own certificate, and a TLS client toward the mail
 * server. The mail server's certificate is not verified: it is the gateway's own neighbour,
 * often with a self-signed certificate (a limitation the README states).
 */
export function upgradeLegs(
  client: Socket,
  server: Socket,
  credentials: TlsCredentials,
): UpgradedLegs {
  const secureContext = createSecureContext({ cert: credentials.cert, key: credentials.key });
  const clientLeg = new TLSSocket(client, { isServer: true, secureContext });
  const serverLeg = connect({ socket: server, rejectUnauthorized: false });
  const ready = Promise.all([
    handshake(clientLeg, "secure"),
    handshake(serverLeg, "secureConnect"),
  ]).then(() => undefined);
  // The session sees failures through the sockets' own error events as well.
  ready.catch(() => undefined);
  return { client: clientLeg, server: serverLeg, ready };
}

function handshake(socket: TLSSocket, event: "secure" | "secureConnect"): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => {
      resolve();
    });
    socket.once("error", reject);
    socket.once("close", () => {
      reject(new Error("closed during the TLS handshake"));
    });
  });
}
