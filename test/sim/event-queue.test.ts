import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/sim/event-queue";
import { Random } from "../../src/sim/random";

function drain(q: EventQueue): { t: number; a: number }[] {
  const out = [];
  while (q.size > 0) {
    const slot = q.pop();
    out.push({ t: q.time(slot), a: q.a(slot) });
    q.release(slot);
  }
  return out;
}

describe("EventQueue", () => {
  it("pops actions in time order", () => {
    const q = new EventQueue();
    [5, 1, 4, 2, 3].forEach((t) => q.push(t, 0, t, 0, undefined));
    expect(drain(q).map((e) => e.t)).toEqual([1, 2, 3, 4, 5]);
  });

  it("breaks ties by the order of scheduling", () => {
    const q = new EventQueue();
    for (let i = 0; i < 100; i++) q.push(7, 0, i, 0, undefined);
    expect(drain(q).map((e) => e.a)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("stays ordered through many random pushes and pops, growing past its initial capacity", () => {
    const q = new EventQueue();
    const r = new Random(3, "test");
    const popped: number[] = [];
    let now = 0;
    for (let i = 0; i < 20000; i++) {
      q.push(now + r.int(1000), 0, i, 0, { i });
      if (r.next() < 0.4 && q.size > 0) {
        const slot = q.pop();
        now = q.time(slot);
        popped.push(now);
        q.release(slot);
      }
    }
    popped.push(...drain(q).map((e) => e.t));
    expect(popped.length).toBe(20000);
    for (let i = 1; i < popped.length; i++) expect(popped[i]).toBeGreaterThanOrEqual(popped[i - 1]);
  });
});
