import { MAX_HELD_CLIENT_OCTETS } from "../smtp/limits.js";

/**
 * Client bytes held while a reply decides how to read them (after DATA, AUTH, STARTTLS, or
 * with the pending queue full), within MAX_HELD_CLIENT_OCTETS. The chunks are kept as they
 * came, not copied: they are held only until the next reply.
 */
export class HeldBytes {
  #chunks: Buffer[] = [];
  #octets = 0;

  get octets(): number {
    return this.#octets;
  }

  /** False when the bytes would pass the bound (the caller resets the session). */
  push(bytes: Buffer): boolean {
    this.#octets += bytes.length;
    if (this.#octets > MAX_HELD_CLIENT_OCTETS) return false;
    this.#chunks.push(bytes);
    return true;
  }

  /** Everything held, in order; the holder is empty after. */
  take(): Buffer[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#octets = 0;
    return chunks;
  }
}
