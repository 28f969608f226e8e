// Chart labels as the reader sees them: every chart on the page shows one
// drawing (charts are inline SVG: a desktop drawing and, on narrow screens,
// a compact one), and every text label of the drawing shown is at least
// MIN_PX CSS pixels tall as rendered.
//
// The rendered size of a label is its computed font size (in the drawing's
// own units) times the scale from those units to CSS pixels (the text
// element's screen CTM; for a rotated label, the square root of the CTM's
// determinant). A drawing 720 units wide shown 325 px wide scales its 13 px
// labels to under 6 px.

/** The smallest label size a reader can be asked to read, in CSS px. */
export const MIN_PX = 10;

/**
 * Checks the charts (`figure.chart`) of the page as it is laid out now.
 * Returns the failures as strings: a chart whose drawings are all hidden
 * (or more than one shown), a chart with no label, and each chart's labels
 * under MIN_PX (the first few of them, and how many in all).
 */
export async function checkChartLabels(page) {
  const charts = await page.evaluate(() => {
    const shown = (el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    };
    return [...document.querySelectorAll("figure.chart")].map((figure) => {
      const drawings = [...figure.querySelectorAll("svg")].filter(
        (svg) => !svg.parentElement.closest("svg"),
      );
      const visible = drawings.filter(shown);
      const labels = [];
      for (const svg of visible) {
        for (const text of svg.querySelectorAll("text")) {
          const words = text.textContent.trim();
          if (!words || !shown(text)) continue;
          const ctm = text.getScreenCTM();
          if (!ctm) continue;
          const scale = Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c));
          const size = parseFloat(getComputedStyle(text).fontSize) * scale;
          labels.push({ words, size, height: text.getBoundingClientRect().height });
        }
      }
      return {
        id: figure.id || "(a chart without an id)",
        drawings: drawings.length,
        visible: visible.length,
        width: visible.length ? Math.round(visible[0].getBoundingClientRect().width) : 0,
        labels,
      };
    });
  });
  const failures = [];
  for (const chart of charts) {
    if (chart.drawings === 0) {
      failures.push(`${chart.id}: no inline SVG drawing to measure`);
      continue;
    }
    if (chart.visible !== 1) {
      failures.push(`${chart.id}: ${chart.visible} of its ${chart.drawings} drawings shown (one expected)`);
      continue;
    }
    if (chart.labels.length === 0) {
      failures.push(`${chart.id}: the drawing shown has no text label`);
      continue;
    }
    const small = chart.labels.filter((label) => label.size < MIN_PX - 0.01);
    if (small.length) {
      const some = small
        .slice(0, 3)
        .map((label) => `"${label.words.slice(0, 30)}" ${label.size.toFixed(1)}px`)
        .join(", ");
      failures.push(
        `${chart.id}: ${small.length} of ${chart.labels.length} labels under ${MIN_PX}px as drawn ${chart.width}px wide (${some})`,
      );
    }
  }
  return failures;
}
