// The plan page on paper: printed to PDF at A4 the way a reader's browser
// prints it (print media, the screen in dark mode, the stylesheet's @page
// margins), then read back page by page with pdf.js.
//
// It fails when:
// - page 1 does not hold the header (the plan's title), every key figure
//   (label and value), the decision (label and text) and the whole timeline
//   (its caption and every label its chart draws);
// - the PDF has more pages than the content needs with generous slack:
//   more than PAGE_SLACK times the pages the page's height in print would
//   fill if nothing were kept whole, plus one (the key figures, charts and
//   table rows are kept whole, which leaves white at the foot of pages), or
//   no page at all;
// - the printed page is not light (white background, dark text) although
//   the screen is dark, or the site navigation is printed.
//
// The PDF is left beside the screenshots as <page>-print.pdf.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const MM = 96 / 25.4; // CSS px per millimetre
const A4 = { width: 210 * MM, height: 297 * MM };
// What the good layout needs: the example plan (as of 2025-03-03, as the
// test builds it) is 5.0 pages of flowing height in print and prints on 6
// (break-inside: avoid leaves white where a chart or block would not fit).
// Half as much again, plus one, allows 8; a chart or phase per page prints
// 10 and fails.
const PAGE_SLACK = 1.5;

/** Lower case, no white space: the PDF wraps lines and transforms case. */
export const squash = (text) => text.toLowerCase().replace(/\s+/g, "");

/** The text of each page of a PDF, squashed. */
export async function pageTexts(pdf) {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(squash(content.items.map((item) => item.str ?? "").join(" ")));
  }
  await doc.destroy();
  return pages;
}

/**
 * Prints the plan page at `url` to A4 and checks its first page and its
 * length. Returns { line, failures }.
 */
export async function checkPrint(browser, origin, url, name, outDir) {
  const failures = [];
  const context = await browser.newContext({ colorScheme: "dark", deviceScaleFactor: 1, serviceWorkers: "block" });
  await context.route("**/*", (route) => {
    const to = route.request().url();
    if (to.startsWith(origin + "/") || to === origin) return route.continue();
    failures.push(`request outside the site: ${to}`);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  const pdfPath = join(outDir, `${name}-print.pdf`);
  let line = `FAIL ${name} print (A4)`;
  try {
    await page.goto(url, { waitUntil: "load" });
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const facts = await page.evaluate(() => {
      const shown = (el) => el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
      // As rendered: innerText leaves out what print hides; SVG text has none.
      const text = (el) => (el ? (el.innerText ?? el.textContent).trim() : "");
      const figures = [...document.querySelectorAll(".summary .figures > div")].map((div) => ({
        label: text(div.querySelector("dt")),
        value: text(div.querySelector("dd")),
      }));
      const timeline = document.querySelector("#chart-timeline");
      const svg = timeline ? [...timeline.querySelectorAll("svg")].find(shown) : null;
      const body = getComputedStyle(document.body);
      return {
        title: text(document.querySelector("h1")),
        figures,
        timeline: !!timeline,
        caption: text(timeline?.querySelector("figcaption")),
        labels: svg ? [...svg.querySelectorAll("text")].map(text).filter(Boolean) : [],
        background: body.backgroundColor,
        color: body.color,
        navShown: [...document.querySelectorAll("nav")].some(shown),
      };
    });

    // The height the content takes in print at the paper's printable width.
    const margins = await page.evaluate(() => {
      // The @page margin of the stylesheet, in px: top right bottom left.
      for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
          const inner = rule instanceof CSSMediaRule ? [...rule.cssRules] : [rule];
          const at = inner.find((r) => r instanceof CSSPageRule);
          if (at) {
            const probe = document.createElement("div");
            probe.style.cssText = `position:absolute;visibility:hidden;padding:${at.style.margin}`;
            document.body.append(probe);
            const cs = getComputedStyle(probe);
            const m = [cs.paddingTop, cs.paddingRight, cs.paddingBottom, cs.paddingLeft].map(parseFloat);
            probe.remove();
            return m;
          }
        }
      }
      return null;
    });
    if (!margins) failures.push("the stylesheet has no @page rule with a margin for print");
    const [top, right, bottom, left] = margins ?? [0, 0, 0, 0];
    const printable = { width: A4.width - left - right, height: A4.height - top - bottom };
    await page.setViewportSize({ width: Math.floor(printable.width), height: Math.floor(printable.height) });
    const flow = await page.evaluate(() => document.documentElement.scrollHeight);

    const pdf = await page.pdf({ format: "A4" });
    writeFileSync(pdfPath, pdf);
    const pages = await pageTexts(pdf);
    const needed = flow / printable.height;
    const most = Math.floor(needed * PAGE_SLACK) + 1;

    if (pages.length < 1) failures.push("the PDF has no page");
    if (pages.length > most) {
      failures.push(
        `${pages.length} pages, more than ${most} (the content is ${needed.toFixed(1)} pages tall in print, times ${PAGE_SLACK}, plus one)`,
      );
    }
    const first = pages[0] ?? "";
    const missing = (what, text) => {
      if (!text) failures.push(`page 1: nothing to look for as ${what}`);
      else if (!first.includes(squash(text))) failures.push(`page 1 lacks ${what}: "${text}"`);
    };
    missing("the plan's title", facts.title);
    if (!facts.figures.length) failures.push("the plan page has no key figures (.summary .figures)");
    for (const f of facts.figures) missing(`the key figure ${f.label || "(no label)"}`, f.label && f.value && `${f.label} ${f.value}`);
    if (!facts.figures.some((f) => /decision/i.test(f.label))) failures.push("the plan page has no decision among its key figures");
    if (!facts.timeline) failures.push("the plan page has no timeline (figure#chart-timeline)");
    else {
      missing("the timeline's caption", facts.caption);
      if (!facts.labels.length) failures.push("the timeline draws no text in print");
      for (const label of facts.labels) missing("a label of the timeline", label);
    }
    if (facts.background !== "rgb(255, 255, 255)" || facts.color !== "rgb(0, 0, 0)") {
      failures.push(`printed with a dark screen: background ${facts.background}, text ${facts.color} (want white paper, black text)`);
    }
    if (facts.navShown) failures.push("the site navigation is printed");
    const where = pages.findIndex((text) => text.includes(squash(facts.caption || "\u0000")));
    line = `${failures.length ? "FAIL" : "ok  "} ${name} printed on A4: ${pages.length} page(s) (at most ${most}: ${needed.toFixed(1)} pages of content), timeline on page ${where + 1 || "none"}, ${failures.length} problem(s), PDF ${pdfPath}`;
  } catch (error) {
    failures.push(`could not print ${url}: ${error.message.split("\n")[0]}`);
  }
  await context.close();
  return { line, failures };
}
