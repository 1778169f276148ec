import { describe, expect, test } from "vitest";
import { chartHtml, ChartDisplay, plotlyScriptHtml, show } from "../../src/charts/display";
import { lagChart } from "../../src/charts/lag";

const fig = lagChart([{ name: "db2</script><b>", tMs: [0, 1, 2], values: [1, 2, 3] }]);

describe("display", () => {
  test("outside a kernel, show returns the chart's HTML instead of failing", () => {
    const html = show(fig);
    expect(html).toContain('class="replicalab-chart"');
    expect(html).toContain("Plotly.newPlot");
  });

  test("plotly.js goes to a kernel once; each chart is a small div and script", () => {
    const outputs: string[] = [];
    const display = new ChartDisplay({ html: (s) => outputs.push(s) });
    display.show(fig);
    display.show(fig);
    expect(outputs).toHaveLength(3);
    expect(outputs[0].length).toBeGreaterThan(3_000_000);
    expect(outputs[0]).toContain("plotly.js 4.");
    expect(outputs[1].length).toBeLessThan(20_000);
    expect(outputs[2]).not.toContain("inlined by replicalab");
  });

  test("chart ids are unique, so a re-run cell never draws into an old chart", () => {
    const id = (html: string) => /id="([^"]+)"/.exec(html)?.[1];
    expect(id(chartHtml(fig))).not.toBe(id(chartHtml(fig)));
  });

  test("figure data cannot close the script element", () => {
    const html = chartHtml(fig);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain("\\u003c/script>");
  });

  test("the plotly.js script loads nothing remote", () => {
    const html = plotlyScriptHtml();
    expect(html.startsWith("<script")).toBe(true);
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  test("the slides theme can be previewed in a notebook", () => {
    expect(chartHtml(fig, { theme: "slides" })).toContain("width:1920px;height:1080px");
  });
});
