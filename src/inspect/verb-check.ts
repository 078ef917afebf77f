import { CR } from "../smtp/bytes.js";
import { readVerb } from "../smtp/command-line.js";

/**
 * Whether every piece of a command line starts with a legal verb. A line with a bare CR may be
 * split in two by a server that ends lines at CR, so each CR-separated piece is judged.
 */
export function verbsAreLegal(
  line: Buffer,
  start: number,
  end: number,
  legal: (verb: string) => boolean,
): { readonly legal: boolean; readonly bareCr: boolean } {
  if (!legal(readVerb(line, start, end))) return { legal: false, bareCr: false };
  let cr = line.indexOf(CR, start);
  if (cr === -1 || cr >= end) return { legal: true, bareCr: false };
  while (cr !== -1 && cr < end) {
    const next = line.indexOf(CR, cr + 1);
    const pieceEnd = next === -1 || next > end ? end : next;
    if (pieceEnd > cr + 1 && !legal(readVerb(line, cr + 1, pieceEnd))) {
      return { legal: false, bareCr: true };
    }
    cr = next;
  }
  return { legal: true, bareCr: true };
}
