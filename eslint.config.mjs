// Lint rules. Besides the usual TypeScript checks, one rule matters for the product: the engine is
// deterministic, so nothing in it may read real time or unseeded randomness, or use RxJS operators
// that schedule on real time. Windows close on event timestamps instead.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const ENGINE = [
  "src/sim/**", "src/cluster/**", "src/replication/**", "src/txn/**", "src/sharding/**", "src/capstone/**",
  "src/faults/**", "src/metrics/**", "src/checkers/**", "src/history/**", "src/scenario/**",
  "src/events.ts",
];

const REAL_TIME_RXJS = [
  "bufferTime", "interval", "timer", "delay", "delayWhen", "debounceTime", "throttleTime",
  "auditTime", "sampleTime", "timeout", "timeoutWith", "windowTime", "asyncScheduler",
  "animationFrameScheduler", "asapScheduler", "queueScheduler",
];

export default tseslint.config(
  { ignores: ["lib/**", "dist/**", "node_modules/**", "build/**", ".jupyter/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", URL: "readonly", performance: "readonly", globalThis: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: ENGINE,
    rules: {
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "The engine is deterministic: use a seeded Random stream (src/sim/random.ts)." },
        { object: "Date", property: "now", message: "The engine runs on virtual time: use the simulation clock." },
        { object: "performance", property: "now", message: "The engine runs on virtual time: use the simulation clock." },
      ],
      "no-restricted-globals": ["error",
        { name: "setTimeout", message: "No real timers in the engine: schedule on the simulation's event queue." },
        { name: "setInterval", message: "No real timers in the engine: schedule on the simulation's event queue." },
        { name: "setImmediate", message: "No real timers in the engine." },
        { name: "Date", message: "The engine runs on virtual time: no Date." },
        { name: "performance", message: "The engine runs on virtual time." },
      ],
      "no-restricted-imports": ["error", { paths: [
        { name: "rxjs", importNames: REAL_TIME_RXJS, message: "Real-time RxJS operators are not deterministic: close windows on event timestamps." },
        { name: "rxjs/operators", importNames: REAL_TIME_RXJS, message: "Real-time RxJS operators are not deterministic: close windows on event timestamps." },
      ] }],
    },
  },
);
