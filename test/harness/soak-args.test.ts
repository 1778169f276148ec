import { describe, expect, it } from "vitest";
import { formatDuration, ProgressBar } from "../../src/harness/progress";
import { artifactDir, reproCommand } from "../../src/harness/report";
import { HARNESS_MODES } from "../../src/harness/registry";
import { modeOfSeed, parseSoakArgs, UsageError } from "../../src/harness/soak-args";

describe("the soak command line", () => {
  it("defaults to 1,000 seeds from 1 over every mode on every core", () => {
    const args = parseSoakArgs([], 2);
    expect(args).toMatchObject({ seeds: 1000, from: 1, seed: null, bugs: [], faults: {}, workers: 2, artifacts: 10 });
    expect(args.modes).toEqual([...HARNESS_MODES]);
  });

  it("parses seeds, a mode, a seed and bugs as `npm run soak -- ...` passes them", () => {
    const args = parseSoakArgs(["--seeds", "100000", "--mode", "sync", "--seed", "123", "--bug", "ack-before-replicate", "--workers", "3"], 2);
    expect(args).toMatchObject({ seeds: 100000, modes: ["sync"], seed: 123, bugs: ["ack-before-replicate"], workers: 3 });
  });

  it("accepts modes repeated or as a comma list, and fault types and knobs", () => {
    const args = parseSoakArgs(["--mode", "async,sync", "--mode", "none", "--faults", "crash,loss", "--fault", "faultsMax=2", "--fault", "lossRateMax=0.3"]);
    expect(args.modes).toEqual(["async", "sync", "none"]);
    expect(args.faults).toEqual({ enabled: ["crash", "loss"], faultsMax: 2, lossRateMax: 0.3 });
  });

  it("spreads a bug over the modes that accept it, and refuses a mode that does not", () => {
    expect(parseSoakArgs(["--bug", "commit-without-all-votes"]).modes).toEqual(["2pc", "3pc"]);
    expect(parseSoakArgs(["--bug", "no-leases"]).modes).toEqual(["elections", "elections-async"]);
    expect(() => parseSoakArgs(["--mode", "saga", "--bug", "no-ballots"])).toThrow(UsageError);
  });

  it("rejects unknown modes, bugs, fault types and knobs, and malformed numbers", () => {
    for (const argv of [["--mode", "paxos"], ["--bug", "typo"], ["--faults", "meteor"], ["--fault", "speed=3"], ["--fault", "faultsMax"], ["--seeds", "ten"], ["--seeds", "0"], ["--seed", "1.5"], ["--bogus"]]) {
      expect(() => parseSoakArgs(argv), argv.join(" ")).toThrow(UsageError);
    }
  });

  it("spreads seeds over the modes by the seed itself", () => {
    expect(modeOfSeed(HARNESS_MODES.length, HARNESS_MODES)).toBe(HARNESS_MODES[0]);
    expect(modeOfSeed(HARNESS_MODES.length + 2, HARNESS_MODES)).toBe(HARNESS_MODES[2]);
    expect(modeOfSeed(7, ["sync"])).toBe("sync");
  });
});

describe("reproduction commands", () => {
  it("name the mode, the seed and every bug", () => {
    expect(reproCommand({ mode: "sync", seed: 123 })).toBe("npm run soak -- --mode sync --seed 123");
    expect(reproCommand({ mode: "sync", seed: 123, bugs: ["ack-before-replicate"] })).toBe("npm run soak -- --mode sync --seed 123 --bug ack-before-replicate");
  });

  it("name fault settings that differ from the mode's defaults, and only those", () => {
    expect(reproCommand({ mode: "async", seed: 9, faults: { enabled: ["crash"], faultsMax: 2, faultsMin: 1 } })).toBe("npm run soak -- --mode async --seed 9 --faults crash --fault faultsMax=2");
    expect(reproCommand({ mode: "none", seed: 9, faults: { faultsMax: 2 } })).toBe("npm run soak -- --mode none --seed 9");
  });

  it("parse back to the run they name", () => {
    const command = reproCommand({ mode: "semi-sync", seed: 42, bugs: ["ack-before-replicate"], faults: { enabled: ["loss", "crash"], lossRateMax: 0.5 } });
    const argv = command.replace("npm run soak -- ", "").split(" ");
    expect(parseSoakArgs(argv)).toMatchObject({ modes: ["semi-sync"], seed: 42, bugs: ["ack-before-replicate"], faults: { enabled: ["loss", "crash"], lossRateMax: 0.5 } });
  });

  it("put artifacts under build/harness, one folder per mode, bugs and seed", () => {
    expect(artifactDir({ mode: "sync", seed: 123 })).toBe("build/harness/sync-seed-123");
    expect(artifactDir({ mode: "none", seed: 4, bugs: ["zombie-node"] })).toBe("build/harness/none-zombie-node-seed-4");
  });
});

describe("the progress bar", () => {
  it("shows seeds done of total, failing seeds, seeds per second and the time left", () => {
    const bar = new ProgressBar(100, () => {}, true, 10);
    const line = bar.line(50, 2);
    expect(line).toMatch(/^\[#####-----\] 50\/100 seeds \| 2 failing \| \d+ seeds\/s \| ETA /);
  });

  it("redraws in place with a carriage return on a terminal", () => {
    const out: string[] = [];
    const bar = new ProgressBar(10, (s) => out.push(s), true);
    bar.update(1, 0, true);
    bar.end(10, 0);
    expect(out[0].startsWith("\r")).toBe(true);
    expect(out[out.length - 1]).toBe("\n");
  });

  it("formats durations as a person reads them", () => {
    expect(formatDuration(5)).toBe("5s");
    expect(formatDuration(75)).toBe("1m15s");
    expect(formatDuration(3700)).toBe("1h01m40s");
    expect(formatDuration(Infinity)).toBe("?");
  });
});
