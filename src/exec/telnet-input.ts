/**
 * The vty's input side: bytes from a telnet client (or a plain TCP one) turned into lines.
 * Telnet negotiation (RFC 854 commands, RFC 855 subnegotiation) is read and dropped, since
 * the vty works in line mode and needs no option; CR LF, CR NUL, a bare CR or a bare LF end a
 * line; backspace and DEL edit it, for clients that send every key as typed.
 */

/** RFC 854 command bytes. */
export const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** RFC 857: the server says it echoes, so the client stops echoing (around a password). */
export const ECHO_OPTION = 0x01;
export const WILL_ECHO = Buffer.from([IAC, WILL, ECHO_OPTION]);
export const WONT_ECHO = Buffer.from([IAC, 0xfc, ECHO_OPTION]);

/** A line past this is cut there: an exec command never needs more. */
export const MAX_VTY_LINE_OCTETS = 4096;
/** Subnegotiation bytes skipped before the stream is judged broken and the rest dropped. */
const MAX_SUBNEGOTIATION_OCTETS = 1024;

/**
 * `data`: ordinary bytes; `command`: after IAC; `option`: after IAC WILL/WONT/DO/DONT;
 * `sub`/`sub-command`: inside IAC SB ... IAC SE; `after-cr`: a CR ended a line, and an LF or a
 * NUL right after it belongs to that same line end.
 */
type ReaderState = "data" | "command" | "option" | "sub" | "sub-command" | "after-cr";

export interface VtyInputLine {
  readonly text: string;
  /** The line went past MAX_VTY_LINE_OCTETS and was cut. */
  readonly overflow: boolean;
}

export class TelnetLineReader {
  readonly #onLine: (line: VtyInputLine) => void;
  #state: ReaderState = "data";
  #bytes: number[] = [];
  #overflow = false;
  #subOctets = 0;

  constructor(onLine: (line: VtyInputLine) => void) {
    this.#onLine = onLine;
  }

  feed(chunk: Uint8Array): void {
    for (const byte of chunk) this.#byte(byte);
  }

  #byte(byte: number): void {
    switch (this.#state) {
      case "after-cr":
        this.#state = "data";
        if (byte === LF || byte === NUL) return;
        this.#data(byte);
        return;
      case "data":
        this.#data(byte);
        return;
      case "command":
        this.#command(byte);
        return;
      case "option":
        this.#state = "data";
        return;
      case "sub":
        this.#subByte(byte === IAC ? "sub-command" : "sub");
        return;
      case "sub-command":
        this.#subByte(byte === SE ? "data" : "sub");
        return;
    }
  }

  #data(byte: number): void {
    if (byte === IAC) this.#state = "command";
    else if (byte === CR) this.#endLine("after-cr");
    else if (byte === LF) this.#endLine("data");
    else if (byte === BACKSPACE || byte === DELETE) this.#bytes.pop();
    else this.#keep(byte);
  }

  // IAC IAC is a data byte 255; WILL, WONT, DO and DONT take one option byte; SB opens a block.
  #command(byte: number): void {
    if (byte === IAC) {
      this.#state = "data";
      this.#keep(byte);
    } else if (byte >= WILL && byte <= DONT) {
      this.#state = "option";
    } else if (byte === SB) {
      this.#subOctets = 0;
      this.#state = "sub";
    } else {
      this.#state = "data";
    }
  }

  #subByte(next: ReaderState): void {
    this.#subOctets += 1;
    this.#state = this.#subOctets > MAX_SUBNEGOTIATION_OCTETS ? "data" : next;
  }

  #keep(byte: number): void {
    if (this.#bytes.length < MAX_VTY_LINE_OCTETS) this.#bytes.push(byte);
    else this.#overflow = true;
  }

  #endLine(next: ReaderState): void {
    const line = { text: Buffer.from(this.#bytes).toString("utf8"), overflow: this.#overflow };
    this.#bytes = [];
    this.#overflow = false;
    this.#state = next;
    this.#onLine(line);
  }
}
