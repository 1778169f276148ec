import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types";
import { run } from "../helpers/scenario";

/**
 * The engine against results that queueing and reliability theory give in closed form. If one of
 * these drifts, the simulator is wrong, not the theory.
 */

/** One database with c workers (exponential service, mean 1 ms) under Poisson reads, no network delay. */
function queue(workers: number, opsPerSec: number, seed = 1): Scenario {
  return {
    format: 1,
    name: "queue",
    seed,
    durationMs: 120_000,
    nodes: [{ id: "db1", role: "primary", workers, serviceTimeMs: { dist: "exponential", mean: 1 } }],
    replication: { mode: "none" },
    network: { latencyMs: { dist: "constant", value: 0 } },
    workload: { opsPerSec, readRatio: 1, keys: 10, timeoutMs: 60_000 },
  };
}

/** Erlang C: mean time in an M/M/c system (waiting plus service), in ms. */
function mmcMeanResponseMs(c: number, lambdaPerMs: number, muPerMs: number): number {
  const a = lambdaPerMs / muPerMs;
  const rho = a / c;
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const last = term / (1 - rho); // a^c / (c! (1 - rho))
  const waitProbability = last / (sum + last);
  return waitProbability / (c * muPerMs - lambdaPerMs) + 1 / muPerMs;
}

describe("closed-form validation", () => {
  it("matches the M/M/1 mean response time 1/(mu - lambda)", () => {
    const { summary } = run(queue(1, 700));
    const expected = 1 / (1 - 0.7); // ms, with mu = 1/ms and lambda = 0.7/ms
    expect(Math.abs(summary.readLatencyMs.mean! - expected) / expected).toBeLessThan(0.05);
  });

  it("matches the M/M/c mean response time from Erlang's C formula", () => {
    const { summary } = run(queue(2, 1500));
    const expected = mmcMeanResponseMs(2, 1.5, 1); // 2.2857 ms
    expect(expected).toBeCloseTo(2.2857, 3);
    expect(Math.abs(summary.readLatencyMs.mean! - expected) / expected).toBeLessThan(0.05);
  });

  it("issues a Poisson stream at the configured rate", () => {
    const { summary } = run(queue(4, 1000));
    const n = summary.reads.attempted;
    // Mean 120,000, standard deviation sqrt(120,000) = 346: four standard deviations either way.
    expect(Math.abs(n - 120_000)).toBeLessThan(4 * 346);
  });

  it("gives a single database the availability MTBF / (MTBF + MTTR) under random crashes", () => {
    const s: Scenario = {
      format: 1,
      name: "availability",
      seed: 3,
      durationMs: 3_000_000,
      nodes: [{ id: "db1", role: "primary" }],
      replication: { mode: "none" },
      network: { latencyMs: { dist: "constant", value: 1 } },
      workload: { opsPerSec: 2, readRatio: 0.5, keys: 1 },
      faults: [{ type: "random-crashes", nodes: ["db1"], mtbfMs: 2000, mttrMs: 200 }],
    };
    const { summary } = run(s);
    const expected = 2000 / 2200;
    // About 1,360 failure cycles: the sample mean is within 1% of the expectation with high probability.
    expect(Math.abs(summary.uptimeRatio - expected)).toBeLessThan(0.01);
    // Request-based availability estimates the same quantity from far fewer samples.
    expect(Math.abs(summary.availability! - expected)).toBeLessThan(0.03);
  });
});
