/**
 * A set of integers stored as sorted, disjoint runs [from, to]. Acknowledged log indexes are almost
 * always consecutive, so a whole run of a million writes costs one run, not a million entries.
 */
export class IntervalSet {
  private readonly froms: number[] = [];
  private readonly tos: number[] = [];

  /** Adds one integer (fast when it extends the last run, as log indexes usually do). */
  add(x: number): void {
    const n = this.froms.length;
    if (n > 0 && this.tos[n - 1] + 1 === x) {
      this.tos[n - 1] = x;
      return;
    }
    if (n === 0 || this.tos[n - 1] < x) {
      this.froms.push(x);
      this.tos.push(x);
      return;
    }
    this.insert(x);
  }

  private insert(x: number): void {
    let i = 0;
    while (i < this.froms.length && this.tos[i] < x - 1) i++;
    if (i < this.froms.length && this.froms[i] <= x && x <= this.tos[i]) return; // already in
    if (i < this.froms.length && this.tos[i] === x - 1) {
      this.tos[i] = x;
      if (i + 1 < this.froms.length && this.froms[i + 1] === x + 1) this.mergeWithNext(i);
    } else if (i < this.froms.length && this.froms[i] === x + 1) {
      this.froms[i] = x;
    } else {
      this.froms.splice(i, 0, x);
      this.tos.splice(i, 0, x);
    }
  }

  private mergeWithNext(i: number): void {
    this.tos[i] = this.tos[i + 1];
    this.froms.splice(i + 1, 1);
    this.tos.splice(i + 1, 1);
  }

  /** Adds every integer in [lo, hi]; returns how many were not members before. */
  addRange(lo: number, hi: number): number {
    if (lo > hi) return 0;
    const before = this.countIn(lo, hi);
    const froms: number[] = [];
    const tos: number[] = [];
    let placed = false;
    let newLo = lo;
    let newHi = hi;
    for (let i = 0; i < this.froms.length; i++) {
      if (this.tos[i] + 1 < newLo) {
        froms.push(this.froms[i]);
        tos.push(this.tos[i]);
      } else if (this.froms[i] > newHi + 1) {
        if (!placed) {
          froms.push(newLo);
          tos.push(newHi);
          placed = true;
        }
        froms.push(this.froms[i]);
        tos.push(this.tos[i]);
      } else {
        newLo = Math.min(newLo, this.froms[i]);
        newHi = Math.max(newHi, this.tos[i]);
      }
    }
    if (!placed) {
      froms.push(newLo);
      tos.push(newHi);
    }
    this.froms.splice(0, this.froms.length, ...froms);
    this.tos.splice(0, this.tos.length, ...tos);
    return hi - lo + 1 - before;
  }

  /** The runs, as [from, to] pairs (a copy). */
  ranges(): [number, number][] {
    return this.froms.map((f, i) => [f, this.tos[i]]);
  }

  /** How many members lie in [from, to]. */
  countIn(from: number, to: number): number {
    let count = 0;
    for (let i = 0; i < this.froms.length; i++) {
      const lo = Math.max(from, this.froms[i]);
      const hi = Math.min(to, this.tos[i]);
      if (lo <= hi) count += hi - lo + 1;
    }
    return count;
  }

  get size(): number {
    return this.countIn(-Infinity, Infinity);
  }

  /** Number of runs (the memory it takes). */
  get runs(): number {
    return this.froms.length;
  }
}
