/**
 * Times the linearizability checker on every shared real-world history (Jepsen etcd logs, Porcupine kv files)
 * and reports each verdict next to the expected one, so a slowdown or a wrong answer shows up in `npm run bench`.
 *
 * Run alone: `npx tsc -p tsconfig.build.json && node lib/bench/checker.js [DATA_DIR]`.
 * Targets on a 2-core machine: each etcd history < 1 s, all etcd < 10 s, each kv history < 30 s.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { casRegisterModel, checkLinearizability, porcupineKvModel, type Model } from "../checkers";
import { parseJepsenEtcdLog } from "../history/parse-jepsen-etcd";
import { parsePorcupineKv } from "../history/parse-porcupine-kv";
import type { History } from "../history/types";

export interface CheckerBenchRow {
  name: string;
  ms: number;
  /** "true", "false" or "unknown"; totals rows say how many verdicts matched. */
  verdict: string;
  /** The verdict the data set expects ("true"/"false"), absent on totals rows. */
  expected?: string;
}

/** Where the shared data sits: a `shared/` folder beside the repository (from src/bench or lib/bench). */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, "../../../shared/data/linearizability");

interface Case {
  name: string;
  file: string;
  expected: string;
  parse: (text: string) => History;
  model: Model<unknown>;
}

/** Check every shared history once, timing each; adds one totals row per data set. */
export async function benchChecker(dataDir: string = DEFAULT_DATA_DIR): Promise<CheckerBenchRow[]> {
  const etcd = await etcdCases(dataDir);
  const kv = await kvCases(dataDir);
  await runCase(etcd[0]); // warm the JIT so the first timed history is not charged for compilation
  const rows: CheckerBenchRow[] = [];
  for (const [label, cases] of [["etcd", etcd], ["kv", kv]] as const) {
    const caseRows: CheckerBenchRow[] = [];
    for (const testCase of cases) caseRows.push(await runCase(testCase));
    rows.push(...caseRows, totalsRow(label, caseRows));
  }
  return rows;
}

async function runCase(testCase: Case): Promise<CheckerBenchRow> {
  const history = testCase.parse(await fs.readFile(testCase.file, "utf8"));
  const started = performance.now();
  const result = checkLinearizability(history, testCase.model);
  const ms = performance.now() - started;
  return { name: testCase.name, ms: Math.round(ms * 10) / 10, verdict: String(result.valid), expected: testCase.expected };
}

function totalsRow(label: string, rows: readonly CheckerBenchRow[]): CheckerBenchRow {
  const agreeing = rows.filter((row) => row.verdict === row.expected).length;
  const ms = rows.reduce((total, row) => total + row.ms, 0);
  return { name: `${label} (all ${rows.length})`, ms: Math.round(ms * 10) / 10, verdict: `${agreeing}/${rows.length} as expected` };
}

/** etcd/verdicts.tsv: `file<TAB>linearizable` with a header line. */
async function etcdCases(dataDir: string): Promise<Case[]> {
  const tsv = await fs.readFile(path.join(dataDir, "etcd", "verdicts.tsv"), "utf8");
  return tsv
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split("\t"))
    .map(([file, expected]) => ({
      name: `etcd/${file}`,
      file: path.join(dataDir, "etcd", file),
      expected: expected.trim(),
      parse: parseJepsenEtcdLog,
      model: casRegisterModel,
    }));
}

/** kv/*.txt: the `-ok` / `-bad` suffix is the expected verdict. */
async function kvCases(dataDir: string): Promise<Case[]> {
  const files = (await fs.readdir(path.join(dataDir, "kv"))).filter((file) => file.endsWith(".txt")).sort();
  return files.map((file) => ({
    name: `kv/${file}`,
    file: path.join(dataDir, "kv", file),
    expected: String(file.endsWith("-ok.txt")),
    parse: parsePorcupineKv,
    model: porcupineKvModel,
  }));
}

function printTable(rows: readonly CheckerBenchRow[]): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) {
    const mismatch = row.expected !== undefined && row.verdict !== row.expected ? `  (EXPECTED ${row.expected})` : "";
    console.log(`${row.name.padEnd(width)}  ${row.ms.toFixed(1).padStart(9)} ms  ${row.verdict}${mismatch}`);
  }
}

if (require.main === module) {
  benchChecker(process.argv[2]).then(printTable, (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
