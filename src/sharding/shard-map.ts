/**
 * The authoritative shard map: which shard owns each key, and which keys are moving where. It plays
 * the part of MongoDB's config servers: every change bumps `version`, routers cache a copy and
 * refresh it when a shard answers "wrong-shard" (MongoDB's StaleConfig), and the shards consult it
 * before executing anything (so a router's stale copy can never make a write land on the wrong shard).
 *
 * During a move of key k from A to B: A still owns k and serves reads, but refuses writes; B accepts
 * only the migrator's write that installs k's value; then ownership flips to B in one step. So at
 * every instant at most one shard accepts writes for k (the invariant of `invariants.ts`).
 */
export class ShardMap {
  /** Owner of each key (during a move: the source, until the flip). */
  readonly owner: Int32Array;
  /** Destination of each key being moved, -1 otherwise. */
  readonly moveTarget: Int32Array;
  /** When each moving key's writes were frozen (µs). */
  readonly frozenAtUs: Float64Array;
  private versionCounter = 1;
  private moving = 0;

  constructor(initialOwners: Int32Array) {
    this.owner = Int32Array.from(initialOwners);
    this.moveTarget = new Int32Array(initialOwners.length).fill(-1);
    this.frozenAtUs = new Float64Array(initialOwners.length);
  }

  get keys(): number {
    return this.owner.length;
  }

  get version(): number {
    return this.versionCounter;
  }

  /** Keys whose move has started and not yet flipped. */
  get movingCount(): number {
    return this.moving;
  }

  /** May this shard execute a client write to this key now? The owner, unless the key is moving out. */
  acceptsWrite(shard: number, key: number): boolean {
    return this.moveTarget[key] < 0 ? this.owner[key] === shard : this.moveTarget[key] === shard;
  }

  /** May this shard serve a read of this key now? Only its owner (during a move: the source, which has every write). */
  acceptsRead(shard: number, key: number): boolean {
    return this.owner[key] === shard;
  }

  isMoving(key: number): boolean {
    return this.moveTarget[key] >= 0;
  }

  /** Freezes writes to a key at its owner and lets the destination take the migrator's copy. */
  startMove(key: number, to: number, nowUs: number): void {
    if (this.moveTarget[key] >= 0) throw new Error(`key ${key} is already moving`);
    this.moveTarget[key] = to;
    this.frozenAtUs[key] = nowUs;
    this.moving++;
    this.versionCounter++;
  }

  /** The flip: the destination becomes the owner. */
  finishMove(key: number): void {
    const to = this.moveTarget[key];
    if (to < 0) throw new Error(`key ${key} is not moving`);
    this.owner[key] = to;
    this.moveTarget[key] = -1;
    this.moving--;
    this.versionCounter++;
  }

  /** Keys each shard owns (moving keys count for their source). */
  keysOwned(shards: number): number[] {
    const counts = new Array<number>(shards).fill(0);
    for (const o of this.owner) counts[o]++;
    return counts;
  }
}

/** A router's cached copy of the map: maybe stale, refreshed on "wrong-shard". */
export class CachedShardMap {
  private owners: Int32Array;
  private cachedVersion: number;
  refreshes = 0;

  constructor(private readonly source: ShardMap) {
    this.owners = Int32Array.from(source.owner);
    this.cachedVersion = source.version;
  }

  get version(): number {
    return this.cachedVersion;
  }

  ownerOf(key: number): number {
    return this.owners[key];
  }

  /** Copies the authoritative map if it changed (a full copy, as a router fetching the routing table would). */
  refresh(): void {
    if (this.cachedVersion === this.source.version) return;
    this.owners = Int32Array.from(this.source.owner);
    this.cachedVersion = this.source.version;
    this.refreshes++;
  }
}
