import type { NodeName } from "./types";
import type { SagaWorld } from "./world";

/**
 * The choreography's event bus: durable, at-least-once (like Kafka with consumer acknowledgements).
 * A published event is stored, then delivered to every subscriber, again and again until each one
 * acknowledges it. So a consumer may see an event twice (its acknowledgement was lost) and must be
 * idempotent; it never misses one, even across its own crashes.
 *
 * Publishing is idempotent by event id: services publish from their own state (the transactional-
 * outbox pattern: the event is written in the same local transaction as the change it announces), so
 * a service that re-publishes after a restart does not duplicate anything.
 */
export interface BusEvent {
  /** Unique and deterministic: `funds-held:o7`. */
  id: string;
  type: string;
  sagaId: string;
  data: Readonly<Record<string, string | number>>;
}

/**
 * Handles one event. Returning false means "not yet" (it arrived before an event it depends on): no
 * acknowledgement, so the bus delivers it again later. Anything else acknowledges it.
 */
export type BusHandler = (e: BusEvent) => boolean | void;

interface Delivery {
  kind: "deliver";
  event: BusEvent;
}

interface Ack {
  kind: "ack";
  eventId: string;
  subscriber: NodeName;
}

export class EventBus {
  private readonly subscribers = new Map<string, NodeName[]>();
  private readonly handlers = new Map<NodeName, Map<string, BusHandler>>();
  private readonly published = new Set<string>();
  private readonly unacked = new Set<string>();

  constructor(
    private readonly world: SagaWorld,
    private readonly redeliverMs: number,
  ) {
    world.listen("bus", (m) => this.unacked.delete(ackKey((m as Ack).eventId, (m as Ack).subscriber)));
  }

  /** Registers `node` for events of `type`. A node's handlers run only while it is up. */
  subscribe(node: NodeName, type: string, handler: BusHandler): void {
    this.subscribers.set(type, [...(this.subscribers.get(type) ?? []), node]);
    let byType = this.handlers.get(node);
    if (byType === undefined) {
      byType = new Map();
      this.handlers.set(node, byType);
      this.world.listen(node, (m) => this.receive(node, m as Delivery));
    }
    byType.set(type, handler);
  }

  /** Stores the event (once per id) and starts delivering it to every subscriber. */
  publish(event: BusEvent): void {
    if (this.published.has(event.id)) return;
    this.published.add(event.id);
    for (const node of this.subscribers.get(event.type) ?? []) {
      this.unacked.add(ackKey(event.id, node));
      this.deliver(event, node);
    }
  }

  /** Deliveries not yet acknowledged (0 once the choreography has settled). */
  get pending(): number {
    return this.unacked.size;
  }

  private deliver(event: BusEvent, node: NodeName): void {
    if (!this.unacked.has(ackKey(event.id, node))) return;
    this.world.send("bus", node, { kind: "deliver", event } satisfies Delivery);
    this.world.after(this.redeliverMs, () => this.deliver(event, node));
  }

  private receive(node: NodeName, d: Delivery): void {
    const handled = this.handlers.get(node)?.get(d.event.type)?.(d.event);
    if (handled === false) return; // "not yet": the bus delivers it again later
    this.world.send(node, "bus", { kind: "ack", eventId: d.event.id, subscriber: node } satisfies Ack);
  }
}

function ackKey(eventId: string, node: NodeName): string {
  return `${eventId}>${node}`;
}
