import { describeHarnessMode } from "./helpers";

/** The reliability harness on sharding: 1,000 seeded runs of shards behind a router, keys moving under traffic, crashes and shard outages. */
describeHarnessMode("sharding", { failovers: false, milestones: { rebalance: 0.6, "wrong-shard-retry": 0.5, "shard-failover": 0.2, "shard-down": 0.2 } });
