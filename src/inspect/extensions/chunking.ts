/** RFC 3030 2: `BDAT chunk-size [SP "LAST"]`, chunk-size 1*DIGIT. */
const BDAT_ARGUMENTS = /^(\d{1,15})(?:[ \t]+(LAST))?[ \t]*$/i;

export interface BdatCommand {
  readonly size: number;
  readonly last: boolean;
}

/** Reads BDAT's arguments; undefined for anything else (a size past 15 digits included). */
export function readBdat(parameters: string): BdatCommand | undefined {
  const match = BDAT_ARGUMENTS.exec(parameters);
  if (match === null) return undefined;
  return { size: Number(match[1]), last: match[2] !== undefined };
}
