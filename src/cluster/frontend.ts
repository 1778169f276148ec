import type { FrontendSpec } from "../scenario/types";
import { msToUs } from "../sim/time";
import type { Topology } from "./topology";

const DEFAULT_HEALTH_CHECK_MS = 1000;

/**
 * The seed's front tier: a load balancer spreading requests over app servers (round robin). It
 * learns that an app server went down, or came back, only after a health-check delay; until then it
 * keeps sending requests into the void, and those clients time out.
 */
export class Frontend {
  readonly loadBalancer: number;
  readonly appServers: number[];
  private readonly believedUp: boolean[];
  private next = 0;
  private readonly healthCheckUs: number;

  constructor(spec: FrontendSpec, topology: Topology) {
    this.loadBalancer = topology.indexOf(spec.loadBalancer);
    this.appServers = spec.appServers.map((a) => topology.indexOf(a));
    this.believedUp = this.appServers.map(() => true);
    this.healthCheckUs = msToUs(spec.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS);
  }

  /** The app server for the next request, or -1 if the load balancer believes all are down. */
  chooseAppServer(): number {
    const n = this.appServers.length;
    for (let tried = 0; tried < n; tried++) {
      const i = this.next++ % n;
      if (this.believedUp[i]) return this.appServers[i];
    }
    return -1;
  }

  /** An app server went down or came back: the load balancer notices after the health-check delay. */
  appServerChanged(app: number, isUp: () => boolean, at: (timeUs: number, fn: () => void) => void, nowUs: number): void {
    const i = this.appServers.indexOf(app);
    if (i < 0) return;
    at(nowUs + this.healthCheckUs, () => {
      this.believedUp[i] = isUp();
    });
  }
}
