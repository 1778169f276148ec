import { Random } from "../../sim/random";
import type { SagaFault } from "./faults";
import type { SagaScenario } from "./scenario";
import type { FaultTarget, SagaKind, SagaStyle } from "./types";

/**
 * Random faults for seed sweeps, drawn from the seed's own `saga/fault-mix` stream: message loss, a
 * slow service (answers after the caller's timeout), random crashes of the services, and one to three
 * crashes of the coordinator (the orchestrator, or the orders service of a choreography), each
 * followed by a restart. Every kind of fault can hit every step of a saga.
 */
export function randomFaults(seed: number, saga: SagaKind, style: SagaStyle, durationMs: number): SagaFault[] {
  const random = new Random(seed, "saga/fault-mix");
  const services: FaultTarget[] = saga === "food-order" ? ["bank", "restaurant"] : ["bank", "switch"];
  const coordinator: FaultTarget = style === "orchestrated" ? "orchestrator" : "orders";
  const at = () => random.next() * durationMs;
  const faults: SagaFault[] = [
    { type: "message-loss", probability: 0.02 + 0.1 * random.next() },
    { type: "slow", node: services[random.int(services.length)], extraLatencyMs: { dist: "uniform", min: 200, max: 4000 }, atMs: at(), durationMs: durationMs / 4 },
    { type: "random-crashes", nodes: services, mtbfMs: durationMs / 3, mttrMs: 1000 + 3000 * random.next() },
  ];
  const crashes = 1 + random.int(3);
  for (let i = 0; i < crashes; i++) faults.push({ type: "crash", node: coordinator, atMs: at(), durationMs: 500 + 5000 * random.next() });
  return faults;
}

/** A small scenario for sweeps: short, busy, with the random faults of its seed. */
export function sweepScenario(seed: number, saga: SagaKind, style: SagaStyle): SagaScenario {
  const food = saga === "food-order";
  const durationMs = food ? 20_000 : 600_000;
  return {
    format: 1,
    kind: "saga",
    name: `sweep-${saga}-${style}`,
    seed,
    durationMs,
    saga,
    style,
    ...(food ? { ordersPerSec: 3, restaurant: { acceptRatio: 0.8, decisionMs: { dist: "exponential", mean: 1200 } } } : { callsPerSec: 0.05, callMinutesMean: 3, callMinutesMax: 10, balanceRupees: 150 }),
    customers: 10,
    faults: randomFaults(seed, saga, style, durationMs),
  };
}
