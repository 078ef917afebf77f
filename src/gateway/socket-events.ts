/**
 * A session's socket chores: resetting a socket where a reset is still possible, and event
 * handlers that can be taken off one socket and put on another (when TLS wraps a leg).
 */
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";

/**
 * A reset where one is still possible. Node 20's resetAndDestroy on a socket already ended
 * (after our FIN) fails with EINVAL and never closes the handle, leaking the descriptor and
 * keeping the process alive; such a socket can only be destroyed.
 */
export function resetSocket(socket: Socket): void {
  if (socket.writableEnded || isTls(socket)) socket.destroy();
  else socket.resetAndDestroy();
}

function isTls(socket: Socket): socket is TLSSocket {
  return "encrypted" in socket;
}

// Each handler takes the event's own argument (a chunk, an error) or none.
export type Handlers = Readonly<
  Record<"data" | "end" | "drain" | "error" | "close", (arg: never) => void>
>;

export function attach(socket: Socket, handlers: Handlers): void {
  for (const [event, handler] of Object.entries(handlers)) {
    socket.on(event, handler as (arg: unknown) => void);
  }
}

export function detach(socket: Socket, handlers: Handlers): void {
  for (const [event, handler] of Object.entries(handlers)) {
    socket.off(event, handler as (arg: unknown) => void);
  }
}

export function ignore(): void {
  // The wrapped socket's errors reach the TLS socket over it, which the session handles.
}
