import type { Distribution } from "../scenario/types";
import type { Random } from "./random";

/** Draws one value in MILLISECONDS from a distribution, using the given random stream. */
export type Sampler = (random: Random) => number;

/**
 * A sampler for a distribution of the scenario format. Negative draws are impossible for every
 * kind (the schema forbids negative parameters), so no clamping hides a bug.
 */
export function sampler(d: Distribution): Sampler {
  switch (d.dist) {
    case "constant": {
      const v = d.value;
      return () => v;
    }
    case "uniform": {
      const { min, max } = d;
      return (r) => min + (max - min) * r.next();
    }
    case "exponential": {
      const mean = d.mean;
      // Inverse transform; 1 - u is in (0, 1], so the log is finite.
      return (r) => -mean * Math.log(1 - r.next());
    }
    case "lognormal": {
      const { mu, sigma } = d;
      return (r) => Math.exp(mu + sigma * standardNormal(r));
    }
  }
}

/** The mean of a distribution, in ms (for documentation, defaults and closed-form checks). */
export function meanOf(d: Distribution): number {
  switch (d.dist) {
    case "constant":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "exponential":
      return d.mean;
    case "lognormal":
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
  }
}

/** The largest value a distribution can produce (Infinity for unbounded ones). */
export function maxOf(d: Distribution): number {
  switch (d.dist) {
    case "constant":
      return d.value;
    case "uniform":
      return d.max;
    default:
      return Infinity;
  }
}

/** Box-Muller transform: one standard normal draw from two uniforms. */
function standardNormal(r: Random): number {
  const u1 = 1 - r.next(); // (0, 1]
  const u2 = r.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
