// The accessibility check of one loaded page, with axe-core.
//
// checkAxe(page, label) injects axe-core (from node_modules, as the text of a
// script tag: nothing is fetched) into the page, opens every closed <details>
// (the charts' data tables) so their content is checked too, and runs every
// rule axe runs by default, twice: with the page in light mode and in dark
// mode (prefers-color-scheme through page.emulateMedia). Then it closes those
// <details> again and puts the page back in light mode. It returns
//   failures: one string per serious or critical violation (the check fails
//             on these), naming the mode, rule, impact and the elements;
//   lines:    one line per violation of any impact, minor and moderate too,
//             and a count of the results axe could not decide ("incomplete",
//             for example a contrast over a gradient), to print.
// Each node is named by axe's own CSS selector for it (`target`).
//
// axe leaves undecided the colour contrast of chart labels (text inside an
// SVG) and of text over a gradient (the scroll shadows of .table-wrap).
// contrastOf measures those itself, as axe would with the gradients left
// out: the text's colour (`fill` for SVG text) against the background colours
// of its ancestors laid over one another, and the same thresholds (4.5:1, or
// 3:1 for text from 24 px, or bold from 18.66 px). Such text under the
// threshold is a serious color-contrast failure too.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const FAILING = new Set(["serious", "critical"]);
const MODES = ["light", "dark"];
/** At most this many elements are named per rule, then "and N more". */
const SHOWN_NODES = 6;

let source;
/** axe.min.js of the axe-core pinned in package-lock.json, read once. */
function axeSource() {
  if (source === undefined) {
    const require = createRequire(import.meta.url);
    source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  }
  return source;
}

/**
 * In the page: the contrast of each element that `selectors` name (axe's
 * targets). Returns [{ target, ratio, required, fg, bg }], the ratio
 * rounded to two decimals, or ratio null when the colour cannot be read.
 */
function contrastOf(selectors) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  // Any CSS colour, as the browser paints it: [r, g, b, alpha 0..1].
  const rgba = (colour) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return a === 0 ? [0, 0, 0, 0] : [r, g, b, a / 255];
  };
  const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3])).concat(1);
  const luminance = ([r, g, b]) => {
    const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const results = [];
  for (const target of selectors) {
    const el = document.querySelector(target);
    if (!el) continue;
    const style = getComputedStyle(el);
    const paint = el instanceof SVGElement ? style.fill : style.color;
    if (!/^(rgb|#|color\()/.test(paint)) {
      results.push({ target, ratio: null, required: 0, fg: paint, bg: "" });
      continue;
    }
    // Background colours from the element up, until one is opaque; the
    // canvas (white) under them all.
    const layers = [];
    for (let node = el; node instanceof Element; node = node.parentElement) {
      const layer = rgba(getComputedStyle(node).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    const bg = layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
    const fg = over(rgba(paint), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    results.push({
      target,
      ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
      required: large ? 3 : 4.5,
      fg: hex(fg),
      bg: hex(bg),
    });
  }
  return results;
}

function targets(nodes) {
  const named = nodes.slice(0, SHOWN_NODES).map((node) => node.target.map(String).join(" >> "));
  const more = nodes.length > SHOWN_NODES ? ` and ${nodes.length - SHOWN_NODES} more` : "";
  return `${named.join(", ")}${more}`;
}

/**
 * Runs axe-core on `page` in light and dark mode. `label` prefixes each line
 * printed (the page and width). Returns { failures, lines }.
 */
export async function checkAxe(page, label) {
  const failures = [];
  const lines = [];
  const present = await page.evaluate(() => typeof window.axe === "object");
  if (!present) await page.addScriptTag({ content: axeSource() });
  await page.evaluate(() => {
    window.plansiteAxeOpened = [...document.querySelectorAll("details:not([open])")];
    for (const details of window.plansiteAxeOpened) details.open = true;
  });
  try {
    for (const mode of MODES) {
      await page.emulateMedia({ colorScheme: mode });
      const results = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ["violations", "incomplete"] }).then((r) => ({
          version: r.testEngine.version,
          violations: r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target })),
          })),
          incomplete: r.incomplete.map((v) => `${v.id} (${v.nodes.length} element(s))`),
          contrast: (r.incomplete.find((v) => v.id === "color-contrast")?.nodes ?? [])
            .filter((n) => n.target.length === 1)
            .map((n) => n.target[0]),
        })),
      );
      const measured = await page.evaluate(contrastOf, results.contrast);
      for (const v of results.violations) {
        const text = `${v.id} (${v.impact}, ${v.nodes.length} element(s)): ${v.help}: ${targets(v.nodes)}`;
        lines.push(`axe ${results.version} ${label} ${mode}: ${text}`);
        if (FAILING.has(v.impact)) failures.push(`axe, ${mode} mode: ${text}`);
      }
      const undecided = results.incomplete.length
        ? `; not decided by axe: ${results.incomplete.join(", ")}`
        : "";
      lines.push(
        `axe ${results.version} ${label} ${mode}: ${results.violations.length} rule(s) violated${undecided}`,
      );
      if (measured.length) {
        const unread = measured.filter((m) => m.ratio === null);
        const low = measured.filter((m) => m.ratio !== null && m.ratio < m.required);
        const worst = measured
          .filter((m) => m.ratio !== null)
          .sort((a, b) => a.ratio / a.required - b.ratio / b.required)[0];
        const lowest = worst ? `, lowest ${worst.ratio}:1 (${worst.fg} on ${worst.bg}, needs ${worst.required}:1) at ${worst.target}` : "";
        lines.push(
          `contrast ${label} ${mode}: measured ${measured.length} element(s) axe left undecided: ${low.length} too low${lowest}` +
            (unread.length ? `; colour not read: ${unread.map((m) => `${m.target} (${m.fg})`).join(", ")}` : ""),
        );
        if (low.length) {
          const named = low
            .slice(0, SHOWN_NODES)
            .map((m) => `${m.target} ${m.ratio}:1 (${m.fg} on ${m.bg}, needs ${m.required}:1)`);
          const more = low.length > SHOWN_NODES ? ` and ${low.length - SHOWN_NODES} more` : "";
          failures.push(
            `color-contrast (serious, measured where axe could not decide), ${mode} mode, ${low.length} element(s): ${named.join(", ")}${more}`,
          );
        }
      }
    }
  } finally {
    await page.evaluate(() => {
      for (const details of window.plansiteAxeOpened) details.open = false;
    });
    await page.emulateMedia({ colorScheme: "light" });
  }
  return { failures, lines };
}
