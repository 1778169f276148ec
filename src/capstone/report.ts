/**
 * Results of the studio for people: a text table of designs against a card's requirements, and a
 * bar chart of one requirement across designs with the card's bound drawn across it.
 */
import { comparisonChart } from "../charts/comparison";
import type { Figure } from "../charts/types";
import { boundText, formatValue, type Metric } from "./cards";
import type { DesignRun } from "./studio";

/**
 * One row per design, one column per requirement: the measured value with ✓ or ✗, and PASS/FAIL.
 * Every run must be of the same card.
 */
export function gradeTable(runs: readonly DesignRun[]): string {
  if (runs.length === 0) return "(no designs)";
  const c = runs[0].card;
  const reqs = c.requirements;
  const header = ["design", ...reqs.map((r) => `${shortName(r.metric)} ${boundText(r)}`), "grade"];
  const rows = runs.map((run) => [
    run.label,
    ...run.grade.results.map((r) => `${r.passed ? "✓" : "✗"} ${formatValue(r.requirement.metric, r.measured)}`),
    run.grade.passed ? "PASS" : "FAIL",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  return [`${c.title} (${c.id}, seed ${c.seed})`, line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/** Every failed requirement of every run with its explanation, one paragraph per design. */
export function explanations(runs: readonly DesignRun[]): string {
  return runs
    .filter((run) => !run.grade.passed)
    .map((run) => [`${run.label}:`, ...run.grade.results.filter((r) => !r.passed).map((r) => `  ✗ ${r.requirement.says}: ${r.explanation}`)].join("\n"))
    .join("\n");
}

/** One requirement across designs: a bar per design, and the card's bound as a line across them. */
export function requirementChart(runs: readonly DesignRun[], metric: Metric): Figure {
  if (runs.length === 0) throw new RangeError("requirementChart: no runs");
  const c = runs[0].card;
  const req = c.requirements.find((r) => r.metric === metric);
  if (!req) throw new RangeError(`requirementChart: card ${c.id} has no requirement on ${metric} (it has ${c.requirements.map((r) => r.metric).join(", ")})`);
  const labels = runs.map((r) => r.label);
  const scale = isRatio(metric) ? 100 : 1;
  const values = runs.map((r) => (r.measured[metric] ?? NaN) * scale);
  const bound = ((req.atMost ?? req.atLeast) as number) * scale;
  const fig = comparisonChart(
    { scenarios: labels, series: [{ name: "measured", values }] },
    {
      valueTitle: `${shortName(metric)}${isRatio(metric) ? " (%)" : unit(metric)}`,
      title: `${c.title}: ${req.says} (${boundText(req)})`,
      categoryTitle: "Design",
      valueFormat: isRatio(metric) ? ".1f" : ".4~g",
      provenance: runs[0].provenance,
    },
  );
  fig.data.push({ type: "scatter", mode: "lines", name: `requirement ${boundText(req)}`, x: labels, y: labels.map(() => bound), line: { color: "#D55E00", width: 3 } });
  fig.layout.showlegend = true;
  return fig;
}

function isRatio(metric: Metric): boolean {
  return metric === "availability" || metric === "reportsCompletedRatio" || metric === "outageFailedRatio";
}

function unit(metric: Metric): string {
  return metric === "opsPerSec" ? " (per s)" : metric === "lostAcknowledgedWrites" || metric === "staleReads" ? "" : " (ms)";
}

function shortName(metric: Metric): string {
  const names: Record<Metric, string> = {
    lostAcknowledgedWrites: "lost writes",
    staleReads: "stale reads",
    availability: "availability",
    writeP99Ms: "write p99",
    readP99Ms: "read p99",
    stalenessMsMax: "staleness max",
    reportsCompletedRatio: "reports done",
    opsPerSec: "answered/s",
    outageFailedRatio: "failed in outage",
  };
  return names[metric];
}
