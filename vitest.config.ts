// Tests: vitest in forked processes (notebook kernels, Chromium and zeromq do not belong in worker
// threads). Tests that run notebooks or a browser set their own, longer timeouts per test.
// CommonJS syntax because the package is CommonJS (ESM syntax here makes Vite warn on every run).
const { defineConfig } = require("vitest/config") as typeof import("vitest/config");

module.exports = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: on a 2-core CI machine that is one, and the
    // whole suite ran file after file while the notebook test mostly waited on its kernels.
    maxWorkers: 2,
    // Simulation tests loop over many seeds; they are not timed tests, so the limit only catches hangs.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
