/** Octet values the SMTP grammar names. */
export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HT = 0x09;
export const NUL = 0x00;
export const DOT = 0x2e;
export const HYPHEN = 0x2d;
export const X = 0x58;
