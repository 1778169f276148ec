import { IdempotencyTable } from "./idempotency";

/**
 * The bank: accounts and HOLDS. A hold (the lecture's "lock 200 rupees") moves money out of the
 * customer's available balance into a hold without paying anyone; a capture pays the hold to the
 * payee; a release gives it back. Every rupee is always in exactly one place (an account or a live
 * hold), which is what the money-conservation invariant checks.
 *
 * Each operation is idempotent twice over: by its idempotency key (a retry gets the first answer), and
 * by the hold's state (releasing a released hold does nothing). A release that arrives BEFORE its hold
 * (the hold request was slow, the saga gave up and compensated) leaves a tombstone, so the late hold is
 * refused instead of locking money nobody will ever release.
 */
export type HoldState = "held" | "released" | "captured" | "refused";

export interface Hold {
  id: string;
  account: string;
  amountRupees: number;
  payee: string;
  state: HoldState;
}

/** Every effect the bank applied, in order: how "charged twice" is detected. */
export interface LedgerEntry {
  timeMs: number;
  holdId: string;
  op: "hold" | "release" | "capture";
  amountRupees: number;
}

export interface Answer {
  ok: boolean;
  outcome: string;
}

export interface BankOptions {
  /** BROKEN variant: a release credits the hold's amount without checking its state or its key. */
  nonIdempotentRelease?: boolean;
}

export class Bank {
  readonly accounts = new Map<string, number>();
  readonly holds = new Map<string, Hold>();
  readonly ledger: LedgerEntry[] = [];
  private readonly answers = new IdempotencyTable<Answer>();

  constructor(
    accounts: Readonly<Record<string, number>>,
    private readonly nowMs: () => number,
    private readonly options: BankOptions = {},
  ) {
    for (const [account, rupees] of Object.entries(accounts)) this.accounts.set(account, rupees);
  }

  /** Locks `amountRupees` of `account` for a later capture by `payee`. */
  hold(key: string, holdId: string, account: string, amountRupees: number, payee: string): Answer {
    return this.answers.once(key, () => {
      const existing = this.holds.get(holdId);
      if (existing !== undefined) return existing.state === "released" ? { ok: false, outcome: "already-released" } : { ok: existing.state !== "refused", outcome: existing.state };
      if (this.available(account) < amountRupees) {
        this.holds.set(holdId, { id: holdId, account, amountRupees, payee, state: "refused" });
        return { ok: false, outcome: "insufficient-funds" };
      }
      this.accounts.set(account, this.available(account) - amountRupees);
      this.holds.set(holdId, { id: holdId, account, amountRupees, payee, state: "held" });
      this.apply(holdId, "hold", amountRupees);
      return { ok: true, outcome: "held" };
    });
  }

  /** The compensation of a hold: the money goes back to the account. */
  release(key: string, holdId: string): Answer {
    if (this.options.nonIdempotentRelease) return this.releaseNaively(holdId);
    return this.answers.once(key, () => {
      const hold = this.holds.get(holdId);
      if (hold === undefined) {
        this.holds.set(holdId, { id: holdId, account: "", amountRupees: 0, payee: "", state: "released" }); // tombstone
        return { ok: true, outcome: "nothing-held" };
      }
      if (hold.state === "captured") return { ok: false, outcome: "already-captured" };
      if (hold.state === "held") {
        this.accounts.set(hold.account, this.available(hold.account) + hold.amountRupees);
        this.apply(holdId, "release", hold.amountRupees);
      }
      hold.state = hold.state === "refused" ? "refused" : "released";
      return { ok: true, outcome: "released" };
    });
  }

  /** Pays a hold to its payee: the money the customer locked is now the payee's. */
  capture(key: string, holdId: string): Answer {
    return this.answers.once(key, () => {
      const hold = this.holds.get(holdId);
      if (hold === undefined || hold.state === "refused") return { ok: false, outcome: "no-hold" };
      if (hold.state === "released") return { ok: false, outcome: "already-released" };
      if (hold.state === "held") {
        this.accounts.set(hold.payee, this.available(hold.payee) + hold.amountRupees);
        hold.state = "captured";
        this.apply(holdId, "capture", hold.amountRupees);
      }
      return { ok: true, outcome: "captured" };
    });
  }

  available(account: string): number {
    return this.accounts.get(account) ?? 0;
  }

  /** Rupees in live holds (locked, not yet paid or given back). */
  fundsLocked(): number {
    let sum = 0;
    for (const h of this.holds.values()) if (h.state === "held") sum += h.amountRupees;
    return sum;
  }

  /** Every rupee: in accounts plus in live holds. Constant, unless something is broken. */
  totalMoney(): number {
    let sum = this.fundsLocked();
    for (const rupees of this.accounts.values()) sum += rupees;
    return sum;
  }

  /** The broken release: no key, no state check. A retried release credits the customer twice. */
  private releaseNaively(holdId: string): Answer {
    const hold = this.holds.get(holdId);
    if (hold === undefined) {
      this.holds.set(holdId, { id: holdId, account: "", amountRupees: 0, payee: "", state: "released" });
      return { ok: true, outcome: "nothing-held" };
    }
    if (hold.state === "captured") return { ok: false, outcome: "already-captured" };
    if (hold.state !== "refused") {
      this.accounts.set(hold.account, this.available(hold.account) + hold.amountRupees);
      this.apply(holdId, "release", hold.amountRupees);
      hold.state = "released";
    }
    return { ok: true, outcome: "released" };
  }

  private apply(holdId: string, op: LedgerEntry["op"], amountRupees: number): void {
    this.ledger.push({ timeMs: this.nowMs(), holdId, op, amountRupees });
  }
}
