/**
 * Collects the bytes going one way and writes contiguous slices of the same chunk as one
 * write, so a chunk that the policy leaves alone costs one write however many lines it holds.
 */
export class Forwarder {
  readonly #write: (bytes: Buffer) => void;
  #chunk: Buffer | undefined;
  #start = 0;
  #end = 0;

  constructor(write: (bytes: Buffer) => void) {
    this.#write = write;
  }

  /** Forwards chunk[from, to) unchanged. */
  pass(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (chunk === this.#chunk && from === this.#end) {
      this.#end = to;
      return;
    }
    this.flush();
    this.#chunk = chunk;
    this.#start = from;
    this.#end = to;
  }

  /** Forwards bytes of the inspector's own making (a masked line, a replacement reply). */
  emit(bytes: Buffer): void {
    this.flush();
    if (bytes.length > 0) this.#write(bytes);
  }

  flush(): void {
    const chunk = this.#chunk;
    if (chunk === undefined) return;
    this.#chunk = undefined;
    if (this.#end > this.#start) this.#write(chunk.subarray(this.#start, this.#end));
  }
}
