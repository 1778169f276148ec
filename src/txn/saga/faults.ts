import { sampler } from "../../sim/distributions";
import { Random } from "../../sim/random";
import { msToUs } from "../../sim/time";
import type { Distribution } from "../../scenario/types";
import type { NetworkConditions, SagaWorld } from "./world";
import type { FaultTarget, NodeName } from "./types";

/**
 * The saga nemesis: a small fault vocabulary (after Jepsen), seeded, and confined to the fault phase.
 * - message-loss: every message sent in the window is lost with a probability;
 * - crash: one service (or the orchestrator) is down for a while, then restarts;
 * - random-crashes: services crash and restart at random (exponential times between failures and to repair);
 * - slow: messages to and from one service take extra time (its answers come after the caller's timeout).
 *
 * No fault starts after the fault phase ends (`faultsEndMs`), and every crash is followed by a restart:
 * the liveness phase that follows has no faults, so every saga must then finish in bounded time.
 */
export type SagaFault =
  | { type: "message-loss"; probability: number; atMs?: number; durationMs?: number }
  | { type: "crash"; node: FaultTarget; atMs: number; durationMs: number }
  | { type: "random-crashes"; nodes: FaultTarget[]; mtbfMs: number; mttrMs: number }
  | { type: "slow"; node: FaultTarget; extraLatencyMs: Distribution; atMs?: number; durationMs?: number };

/** A fault's time span, for shading charts. */
export interface FaultWindow {
  type: SagaFault["type"];
  node: NodeName | null;
  startMs: number;
  endMs: number;
}

/** Schedules the faults on the world and returns their windows. */
export function installFaults(world: SagaWorld, faults: readonly SagaFault[], faultsEndMs: number): FaultWindow[] {
  const windows: FaultWindow[] = [];
  faults.forEach((fault, i) => {
    switch (fault.type) {
      case "message-loss":
      case "slow":
        windows.push(spanOf(fault, faultsEndMs));
        break;
      case "crash":
        if (fault.atMs < faultsEndMs) windows.push(crashWindow(world, fault.node, fault.atMs, fault.durationMs));
        break;
      case "random-crashes":
        for (const node of fault.nodes) windows.push(...randomCrashes(world, fault, node, i, faultsEndMs));
        break;
    }
  });
  world.conditions = conditions(faults, faultsEndMs);
  return windows.sort((a, b) => a.startMs - b.startMs);
}

function spanOf(fault: { type: "message-loss" | "slow"; atMs?: number; durationMs?: number; node?: NodeName }, faultsEndMs: number): FaultWindow {
  const startMs = fault.atMs ?? 0;
  const endMs = Math.min(faultsEndMs, fault.durationMs === undefined ? Infinity : startMs + fault.durationMs);
  return { type: fault.type, node: fault.node ?? null, startMs, endMs };
}

function crashWindow(world: SagaWorld, node: NodeName, atMs: number, durationMs: number): FaultWindow {
  world.at(msToUs(atMs), () => world.crash(node));
  world.at(msToUs(atMs + durationMs), () => world.restart(node));
  return { type: "crash", node, startMs: atMs, endMs: atMs + durationMs };
}

function randomCrashes(world: SagaWorld, fault: { mtbfMs: number; mttrMs: number }, node: NodeName, index: number, faultsEndMs: number): FaultWindow[] {
  const random = new Random(world.seed, `saga/faults/${index}/${node}`);
  const up = sampler({ dist: "exponential", mean: fault.mtbfMs });
  const down = sampler({ dist: "exponential", mean: fault.mttrMs });
  const windows: FaultWindow[] = [];
  for (let t = up(random); t < faultsEndMs; ) {
    const w = crashWindow(world, node, t, down(random));
    windows.push({ ...w, type: "random-crashes" });
    t = w.endMs + up(random);
  }
  return windows;
}

function conditions(faults: readonly SagaFault[], faultsEndMs: number): NetworkConditions {
  const loss = faults.filter((f): f is Extract<SagaFault, { type: "message-loss" }> => f.type === "message-loss").map((f) => ({ window: spanOf(f, faultsEndMs), p: f.probability }));
  const slow = faults
    .filter((f): f is Extract<SagaFault, { type: "slow" }> => f.type === "slow")
    .map((f) => ({ window: spanOf(f, faultsEndMs), node: f.node, extra: sampler(f.extraLatencyMs) }));
  const inside = (w: FaultWindow, timeUs: number) => timeUs >= msToUs(w.startMs) && timeUs < msToUs(w.endMs);
  return {
    lossAt: (timeUs) => loss.reduce((p, l) => (inside(l.window, timeUs) ? 1 - (1 - p) * (1 - l.p) : p), 0),
    extraLatencyMs: (from, to, timeUs, random) =>
      slow.reduce((ms, s) => (inside(s.window, timeUs) && (s.node === from || s.node === to) ? ms + s.extra(random) : ms), 0),
  };
}
