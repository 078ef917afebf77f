/**
 * RFC 2034 and RFC 3463: with ENHANCEDSTATUSCODES, a 2xx, 4xx or 5xx reply's text starts with
 * class.subject.detail, the class equal to the reply code's first digit.
 */
const ENHANCED = /^([245])\.\d{1,3}\.\d{1,3}(?: |$)/;

/** True when the reply line's text carries a well-formed enhanced status code. */
export function hasValidEnhancedCode(code: number, text: string): boolean {
  const match = ENHANCED.exec(text);
  return match !== null && Number(match[1]) === Math.floor(code / 100);
}
