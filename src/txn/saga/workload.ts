import { sampler } from "../../sim/distributions";
import { Random } from "../../sim/random";
import { msToUs } from "../../sim/time";
import { MINUTE_MS } from "./phone-switch";
import type { SagaParams } from "./plans";
import type { SagaScenario } from "./scenario";
import type { SagaSystem } from "./system";

/**
 * Who starts sagas, and when: an open-loop Poisson stream of orders (or calls) during the scenario's
 * duration, each from a customer picked at random. One random stream (`saga/workload`) draws arrival
 * gaps, customers and call lengths, so faults never reshuffle the workload.
 */
export const DEFAULTS = {
  ordersPerSec: 2,
  callsPerSec: 0.05,
  customers: 20,
  balanceRupees: 2000,
  amountRupees: 200,
  callMinutesMean: 5,
  callMinutesMax: 30,
  rupeesPerMinute: 10,
} as const;

export function customerIds(scenario: SagaScenario): string[] {
  return Array.from({ length: scenario.customers ?? DEFAULTS.customers }, (_, i) => `cust-${i + 1}`);
}

/** Schedules the arrivals of the whole run (each arrival schedules the next, so memory stays flat). */
export function scheduleArrivals(system: SagaSystem, scenario: SagaScenario): void {
  const random = new Random(scenario.seed, "saga/workload");
  const food = scenario.saga === "food-order";
  const perSec = food ? (scenario.ordersPerSec ?? DEFAULTS.ordersPerSec) : (scenario.callsPerSec ?? DEFAULTS.callsPerSec);
  const gapMs = sampler({ dist: "exponential", mean: 1000 / perSec });
  const customers = customerIds(scenario);
  const endUs = msToUs(scenario.durationMs);
  let n = 0;
  const arrive = () => {
    const account = customers[random.int(customers.length)];
    const id = `${food ? "order" : "call"}-${++n}`;
    const params: SagaParams = food
      ? { kind: "food-order", sagaId: id, account, amountRupees: scenario.amountRupees ?? DEFAULTS.amountRupees, stock: "none" }
      : { kind: "phone-call", sagaId: id, account, rupeesPerMinute: DEFAULTS.rupeesPerMinute };
    system.start(params, food ? 0 : callMs(random, scenario));
    next();
  };
  const next = () => {
    const at = system.world.nowUs + msToUs(gapMs(random));
    if (at < endUs) system.world.at(at, arrive);
  };
  next();
}

/** A call's length: exponential around the mean, capped (a call cannot outlast the run's bound). */
function callMs(random: Random, scenario: SagaScenario): number {
  const mean = (scenario.callMinutesMean ?? DEFAULTS.callMinutesMean) * MINUTE_MS;
  const max = (scenario.callMinutesMax ?? DEFAULTS.callMinutesMax) * MINUTE_MS;
  return Math.min(max, sampler({ dist: "exponential", mean })(random));
}
