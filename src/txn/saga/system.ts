import { Random } from "../../sim/random";
import type { Distribution } from "../../scenario/types";
import { Bank } from "./bank";
import { FoodChoreography } from "./choreography-food";
import { PhoneChoreography } from "./choreography-phone";
import { EventBus } from "./event-bus";
import { Orchestrator } from "./orchestrator";
import { PhoneSwitch } from "./phone-switch";
import { DEFAULT_TIMING, type SagaParams, type SagaTiming } from "./plans";
import { Restaurant, type RestaurantOptions } from "./restaurant";
import { SagaRegistry } from "./saga-registry";
import { serveCommands, type Services } from "./services";
import type { BrokenVariant, SagaStyle } from "./types";
import { SagaWorld } from "./world";

/**
 * One saga world, wired: the services with their state, and either an orchestrator or the
 * choreography (with its event bus). Scenario runs and the small experiments (the pivot race, the
 * two-saga anomaly) are all built on it, so they share every rule.
 */
export interface SystemOptions {
  seed: number;
  style: SagaStyle;
  accounts: Readonly<Record<string, number>>;
  latencyMs?: Distribution;
  restaurant?: RestaurantOptions;
  timing?: Partial<SagaTiming>;
  broken?: BrokenVariant | null;
  /** Keep readable events (default true); the hash is computed either way. */
  keepEvents?: boolean;
  /** How often the bus re-delivers an unacknowledged event (default 500 ms). */
  redeliverMs?: number;
}

export class SagaSystem {
  readonly world: SagaWorld;
  readonly services: Services;
  readonly registry = new SagaRegistry();
  readonly timing: SagaTiming;
  readonly orchestrator: Orchestrator | null = null;
  readonly bus: EventBus | null = null;
  private readonly food: FoodChoreography | null = null;
  private readonly phone: PhoneChoreography | null = null;

  constructor(readonly options: SystemOptions) {
    this.world = new SagaWorld(options.seed, options.latencyMs ?? { dist: "exponential", mean: 5 }, options.keepEvents ?? true);
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    const broken = options.broken ?? null;
    const now = this.world;
    this.services = {
      bank: new Bank(options.accounts, () => now.nowMs, { nonIdempotentRelease: broken === "non-idempotent-compensation" }),
      restaurant: new Restaurant(options.restaurant ?? {}, new Random(options.seed, "saga/restaurant"), () => now.nowUs),
      phoneSwitch: new PhoneSwitch(() => now.nowUs),
    };
    if (options.style === "orchestrated") {
      serveCommands(this.world, this.services);
      this.orchestrator = new Orchestrator(this.world, this.timing, broken, this.registry);
    } else {
      this.bus = new EventBus(this.world, options.redeliverMs ?? 500);
      this.food = new FoodChoreography(this.world, this.bus, this.services, this.timing, this.registry, broken);
      this.phone = new PhoneChoreography(this.world, this.bus, this.services, this.registry, broken);
    }
  }

  /** Starts a saga now; for a call, `callMs` is how long the caller will talk. False when refused. */
  start(params: SagaParams, callMs = 0): boolean {
    let accepted: boolean;
    if (params.kind === "phone-call") {
      accepted = this.orchestrator !== null ? this.startOrchestratedCall(params, callMs) : this.phone!.start(params, callMs);
    } else accepted = this.orchestrator !== null ? this.orchestrator.start(params) : this.food!.place(params);
    if (!accepted) {
      this.registry.rejected++;
      this.world.log.record({ type: "rejected", timeMs: this.world.nowMs, sagaId: params.sagaId, reason: "the service that starts sagas is down" });
    }
    return accepted;
  }

  /** Nothing left to do: every saga ended, and the bus has delivered everything. */
  quiescent(): boolean {
    return this.registry.inFlight === 0 && (this.bus === null || this.bus.pending === 0);
  }

  /** In the orchestrated style the call rings at the switch, and billing starts its saga (if it is up). */
  private startOrchestratedCall(params: SagaParams & { kind: "phone-call" }, callMs: number): boolean {
    if (!this.world.isUp("orchestrator") || !this.world.isUp("switch")) return false;
    this.services.phoneSwitch.startCall(params.sagaId, params.account, callMs);
    return this.orchestrator!.start(params);
  }
}
