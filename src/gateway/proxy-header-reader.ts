/**
 * Reads the PROXY header a trusted load balancer sends first, within a time limit and the
 * header's byte bound, and gives back what followed it to the socket for the session to read.
 */

import type { Socket } from "node:net";

import {
  MAX_PROXY_HEADER_OCTETS,
  parseProxyHeader,
  type ProxyHeader,
} from "./proxy-header-parser.js";

/** Ours: how long a trusted peer has to send the whole header (HAProxy sends it at once). */
export const DEFAULT_PROXY_HEADER_TIMEOUT_MS = 5_000;

export type ProxyReadResult =
  | { readonly kind: "header"; readonly header: ProxyHeader }
  | { readonly kind: "failed"; readonly reason: string };

/**
 * Waits for a whole header on a paused socket. On success the socket is paused again and the
 * bytes after the header are pushed back; on failure the caller resets the socket.
 */
export function readProxyHeader(socket: Socket, timeoutMs: number): Promise<ProxyReadResult> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);

    const finish = (result: ProxyReadResult, rest?: Buffer): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
      socket.pause();
      if (rest !== undefined && rest.length > 0) socket.unshift(rest);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseProxyHeader(received.subarray(0, MAX_PROXY_HEADER_OCTETS));
      if (parsed.kind === "invalid") finish({ kind: "failed", reason: parsed.reason });
      else if (parsed.kind === "header") {
        finish(parsed, received.subarray(parsed.header.length));
      }
    };
    const onEnd = (): void => {
      finish({ kind: "failed", reason: "closed before the header" });
    };
    const timer = setTimeout(() => {
      finish({ kind: "failed", reason: "timeout" });
    }, timeoutMs);
    timer.unref();

    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    socket.resume();
  });
}
