/**
 * Virtual time. Inside the engine time is an integer number of MICROseconds, so that ordering and
 * hashing never depend on floating-point rounding; the public format (scenarios, results, charts)
 * speaks milliseconds.
 */
export type Micros = number;

export const US_PER_MS = 1000;

/** Milliseconds (possibly fractional) to whole microseconds, rounding to the nearest. */
export function msToUs(ms: number): Micros {
  return Math.round(ms * US_PER_MS);
}

/** Microseconds to milliseconds, for reporting. */
export function usToMs(us: Micros): number {
  return us / US_PER_MS;
}
