/**
 * Events in words for the views: "db1 crashed", "db2 elected primary in term 3", "network partition:
 * A | B, C". `describeEvent` (src/events.ts) words every event for logs; this module tells the
 * story a lesson needs: faults once (not one line per cut direction), elections by outcome, and, in
 * scripted stories without a random workload (the $120 account), the clients' requests and answers.
 */
import { EV, type EventBatch, type SimEvent } from "../events";
import type { FaultSpec, Scenario, ScriptOp } from "../scenario/types";
import type { StoryLine } from "./model";

/** Which events get a line: "auto" adds client operations and commits when the scenario is a script only. */
export type StoryDetail = "auto" | "faults" | "all";

const MAX_LINES = 20_000;

/** Row types that can make a line; every other row is skipped without decoding. */
const STORY_TYPES = new Set<number>([
  EV.crash, EV.recover, EV["data-loss"], EV.promote, EV.demote, EV.truncate, EV.snapshot, EV.fallback,
  EV["fault-start"], EV["fault-end"], EV["election-start"], EV.vote, EV.conflict, EV.rollback,
]);
const CLIENT_TYPES = new Set<number>([EV.request, EV.response, EV.timeout, EV.commit]);

const REFUSALS: Record<string, string> = {
  stale: "refused: another write took that version first",
  floor: "refused: the balance would go below the floor",
  "no-quorum": "refused: no majority reachable",
  "not-primary": "refused: not the primary",
  "read-only": "refused: a replica is read-only",
  indeterminate: "no majority answered in time (outcome unknown)",
  "lease-expired": "refused: the primary's lease has expired",
  overloaded: "refused: overloaded",
  "no-backend": "refused: no app server",
};

/** Folds event batches into story lines (kept in time order, at most 20,000). */
export class StoryTeller {
  readonly lines: StoryLine[] = [];
  private readonly detailed: boolean;
  /** Candidates by node name, with the term they stand for: their promotion is an election win. */
  private readonly candidates = new Map<string, number>();
  /** Script operations by client name, in time order, to word requests ("client-1 -> A: add -100 to balance"). */
  private readonly scriptOps = new Map<string, ScriptOp[]>();
  /** Requests of script clients by operation id: their answers are worded with them. */
  private readonly pending = new Map<number, { client: string; op: ScriptOp | undefined }>();
  private truncated = false;

  constructor(
    private readonly scenario: Scenario,
    detail: StoryDetail = "auto",
  ) {
    this.detailed = detail === "all" || (detail === "auto" && scenario.workload === undefined);
    for (const op of scenario.script ?? []) {
      if (op.op === "promote") continue;
      const client = op.client ?? "script";
      const list = this.scriptOps.get(client) ?? [];
      list.push(op);
      this.scriptOps.set(client, list);
    }
  }

  /** Adds the lines of one batch; returns how many were added. */
  add(batch: EventBatch): number {
    const before = this.lines.length;
    const { types } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (STORY_TYPES.has(type) || (this.detailed && CLIENT_TYPES.has(type))) this.push(this.line(batch.event(i)));
    }
    return this.lines.length - before;
  }

  private push(line: StoryLine | null): void {
    if (line === null) return;
    if (this.lines.length >= MAX_LINES) {
      if (!this.truncated) this.lines.push({ tMs: line.tMs, text: "(more events than a view can list)", tone: "info" });
      this.truncated = true;
      return;
    }
    this.lines.push(line);
  }

  /** The line for one event, or null when it adds nothing to the story. */
  line(e: SimEvent): StoryLine | null {
    const at = (text: string, tone: StoryLine["tone"] = "info"): StoryLine => ({ tMs: e.timeMs, text, tone });
    switch (e.type) {
      case "crash":
        return at(`${e.node} crashed`, "fault");
      case "recover":
        return at(`${e.node} restarted`, "heal");
      case "data-loss":
        return at(`${e.node} lost its data`, "fault");
      case "promote": {
        const stood = this.candidates.get(e.node);
        this.candidates.delete(e.node);
        if (stood === e.epoch) return at(`${e.node} elected primary in term ${e.epoch}`, "heal");
        if (e.timeMs === 0) return at(`${e.node} is the primary (term ${e.epoch})`);
        return at(`${e.node} promoted to primary (term ${e.epoch})`, "heal");
      }
      case "demote":
        return at(`${e.node} steps down to replica (it led term ${e.epoch})`);
      case "election-start":
        this.candidates.set(e.node, e.epoch);
        return at(`${e.node} hears no primary: election for term ${e.epoch}`);
      case "vote":
        return at(e.granted ? `${e.from} votes for ${e.to} (term ${e.epoch})` : `${e.from} refuses ${e.to} (term ${e.epoch})`);
      case "truncate":
        return at(`${e.node} discards ${e.count} log entries the new primary never had`, "alarm");
      case "snapshot":
        return at(`${e.node} re-seeded with a snapshot`);
      case "fallback":
        return at(e.async ? `${e.node} stops waiting for ${e.replica} (async until it catches up)` : `${e.replica} caught up: ${e.node} waits for it again`);
      case "fault-start":
      case "fault-end":
        return this.faultLine(e);
      case "conflict":
        return at(`${e.node}: conflicting writes to ${e.key} (kept op ${e.kept}, discarded op ${e.discarded})`, "alarm");
      case "rollback":
        return at(`${e.node} rolls back its write to ${e.key} (v${e.version})`, "alarm");
      case "commit":
        return at(`${e.node} committed ${e.key} v${e.version}`);
      case "request":
        return this.requestLine(e);
      case "response":
        return this.responseLine(e);
      case "timeout": {
        const req = this.pending.get(e.op);
        if (req === undefined) return null;
        this.pending.delete(e.op);
        return at(`${e.client} gave up waiting (timeout)`, "alarm");
      }
      default:
        return null;
    }
  }

  private faultLine(e: Extract<SimEvent, { type: "fault-start" | "fault-end" }>): StoryLine | null {
    const spec: FaultSpec | undefined = this.scenario.faults?.[e.fault];
    const start = e.type === "fault-start";
    const at = (text: string, tone: StoryLine["tone"]): StoryLine => ({ tMs: e.timeMs, text, tone });
    if (spec === undefined) return null;
    switch (spec.type) {
      case "partition":
        return start ? at(`network partition: ${spec.groups.map((g) => g.join(", ")).join(" | ")}`, "fault") : at("partition healed", "heal");
      case "cut": {
        const link = `${spec.from} ${spec.oneWay ? "→" : "⇄"} ${spec.to}`;
        return start ? at(`link ${link} cut`, "fault") : at(`link ${link} restored`, "heal");
      }
      case "restore":
        return start ? at(`link ${spec.from} ${spec.oneWay ? "→" : "⇄"} ${spec.to} restored`, "heal") : null;
      case "heal":
        return start ? at("network healed", "heal") : null;
      case "slow": {
        const link = `${spec.from} ${spec.oneWay ? "→" : "⇄"} ${spec.to}`;
        return start ? at(`link ${link} slowed down`, "fault") : at(`link ${link} back to normal speed`, "heal");
      }
      case "domain-failure":
        return start ? at(`failure domain ${spec.domain} goes down`, "fault") : at(`failure domain ${spec.domain} is back`, "heal");
      default:
        // Crashes, restarts and disk losses have their own events (crash, recover, data-loss).
        return null;
    }
  }

  private requestLine(e: Extract<SimEvent, { type: "request" }>): StoryLine | null {
    const ops = this.scriptOps.get(e.client);
    if (ops === undefined) return null;
    const op = ops.find((o) => o.atMs === e.timeMs && o.op !== "promote" && o.key === e.key);
    this.pending.set(e.op, { client: e.client, op });
    const to = op && op.op !== "promote" && op.node ? ` → ${op.node}` : "";
    return { tMs: e.timeMs, text: `${e.client}${to}: ${op ? wordOp(op) : `${e.kind} ${e.key}`}`, tone: "info" };
  }

  private responseLine(e: Extract<SimEvent, { type: "response" }>): StoryLine | null {
    const req = this.pending.get(e.op);
    if (req === undefined) return null;
    this.pending.delete(e.op);
    const key = req.op && req.op.op !== "promote" ? req.op.key : "";
    if (e.error === "ok") {
      const value = e.value === null ? "" : key ? `, ${key} = ${formatValue(e.value)}` : ` (${formatValue(e.value)})`;
      return { tMs: e.timeMs, text: `${e.client} ← ok${value}`, tone: "info" };
    }
    const floor = e.error === "floor" && req.op?.op === "add" && req.op.floor !== undefined ? `refused: ${key} would go below ${formatValue(req.op.floor)}` : undefined;
    return { tMs: e.timeMs, text: `${e.client} ← ${floor ?? REFUSALS[e.error] ?? e.error}`, tone: "alarm" };
  }
}

function wordOp(op: ScriptOp): string {
  switch (op.op) {
    case "set":
      return `set ${op.key} to ${formatValue(op.value)}`;
    case "add":
      return op.amount < 0 ? `take ${formatValue(-op.amount)} from ${op.key}` : `add ${formatValue(op.amount)} to ${op.key}`;
    case "get":
      return `read ${op.key}`;
    case "set-now":
      return `set ${op.key} to NOW()`;
    case "set-random":
      return `set ${op.key} to RAND()`;
    default:
      return op.op;
  }
}

/** A value as a lesson shows it: integers plain, others to 3 decimals. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
