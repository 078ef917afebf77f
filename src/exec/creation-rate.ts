/**
 * The session creation rate of `show ip inspect statistics`: sessions created per one-minute
 * sampling period (IOS's period for its one-minute thresholds), the highest such rate since
 * start, and the half-open count when the last period closed.
 */

/** IOS's sampling period for creation rates, in milliseconds. */
export const RATE_PERIOD_MS = 60_000;

export interface CreationRates {
  /** Sessions created in the last complete period. */
  readonly last: number;
  readonly maxEver: number;
  /** Half-open sessions when the last period closed. */
  readonly lastHalfOpen: number;
}

/** Pure: fed the table's running creation count once a period; owns no timer. */
export class CreationRateSampler {
  #createdBefore: number;
  #rates: CreationRates = { last: 0, maxEver: 0, lastHalfOpen: 0 };

  constructor(createdSoFar = 0) {
    this.#createdBefore = createdSoFar;
  }

  get rates(): CreationRates {
    return this.#rates;
  }

  /** Closes a period: `created` is the table's count since start, `halfOpen` its current one. */
  sample(created: number, halfOpen: number): void {
    const last = created - this.#createdBefore;
    this.#createdBefore = created;
    this.#rates = { last, maxEver: Math.max(this.#rates.maxEver, last), lastHalfOpen: halfOpen };
  }
}
