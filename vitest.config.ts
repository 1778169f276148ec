import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Simulation tests loop over many seeds; notebook tests start real kernels. Neither is a timed test.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
