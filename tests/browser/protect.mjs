// A protected site (`plansite build --protect`) in the browser: served under
// /repo/ like the plain site, and opened from disk.
//
// It fails when:
// - the locked shell has a serious or critical axe-core finding;
// - the dashboard shows anything but the passphrase form before unlocking,
//   or shows the plans after a wrong passphrase (which must say so);
// - the right passphrase does not show the dashboard's table, or the key
//   is not kept for the visit (sessionStorage);
// - following a link from the dashboard to a plan page, and from there to
//   the archive, asks for the passphrase again;
// - a shared link with the passphrase in its fragment (#k=…) does not open
//   a plan page at 375 px, leaves the passphrase in the address bar, or
//   scrolls sideways;
// - the 404 page does not open, or a page opened from disk (file://) does not;
// - the unlocked plan page, printed to PDF, does not hold its title;
// - any page logs an error or asks for something outside the site.

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pageTexts, squash } from "./print.mjs";
import { checkAxe } from "./axe.mjs";

const TIMEOUT_MS = 30_000;

class Stop extends Error {}
// Deriving the key (600,000 PBKDF2 rounds) and decrypting take well under
// a second; a page still locked after this is not going to open.
const UNLOCK_MS = 10_000;

/** A fresh browser context with the failure-collecting hooks. */
async function open(browser, origin, width, failures, label) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
    serviceWorkers: "block",
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("file://")) return route.continue();
    failures.push(`${label}: request outside the site: ${url}`);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on("console", (m) => {
    // The 404 page is served with its status, which Chromium logs.
    if (m.type() === "error" && !(page.expect404 && /status of 404/.test(m.text()))) {
      failures.push(`${label}: console error: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => failures.push(`${label}: page error: ${e.message}`));
  return { context, page };
}

/** Whether the page is still the locked shell (the form, no site page). */
async function locked(page) {
  return page.evaluate(
    () => !!document.getElementById("sealed") && !document.querySelector("main#main"),
  );
}

/** Waits for the decrypted page: the site's own <main id="main">. */
async function unlocked(page) {
  try {
    await page.waitForSelector("main#main", { timeout: UNLOCK_MS });
  } catch {
    return false;
  }
  return !(await page.evaluate(() => !!document.getElementById("sealed")));
}

/**
 * Checks the protected site served at `origin` + `prefix` and built in
 * `siteDir`, with `passphrase` (right) and a wrong one. `folder` is a plan
 * folder's name. Returns { lines, failures }.
 */
export async function checkProtected(browser, { origin, prefix, siteDir, folder, passphrase }) {
  const failures = [];
  const lines = [];
  const fail = (what) => failures.push(what);
  const stop = (what) => {
    throw new Stop(what);
  };
  // Each part runs in its own context; a part stops at its first failure
  // that leaves nothing more to check.
  const part = async (run) => {
    try {
      await run();
    } catch (error) {
      fail(error instanceof Stop ? error.message : `${error.message.split("\n")[0]}`);
    }
  };

  // 1. The dashboard: locked, then a wrong passphrase, then the right one.
  await part(async () => {
    const { context, page } = await open(browser, origin, 1280, failures, "dashboard");
    await page.goto(origin + prefix, { waitUntil: "load" });
    await page.waitForSelector("#unlock:not([hidden])");
    if (!(await locked(page))) fail("dashboard: shows a page before the passphrase is given");
    const shellText = await page.evaluate(() => document.body.innerText);
    const axe = await checkAxe(page, "protected shell at 1280px");
    lines.push(...axe.lines);
    failures.push(...axe.failures);
    await page.emulateMedia({ colorScheme: "light" });
    const title = await page.title();
    await page.fill("#passphrase", passphrase + " but wrong");
    await page.click("#unlock button");
    await page.waitForFunction(() => /wrong passphrase/i.test(document.getElementById("message")?.textContent ?? ""));
    if (!(await locked(page))) fail("dashboard: a wrong passphrase showed the page");
    const rows = await page.locator("#plans-table tbody tr").count();
    if (rows) fail(`dashboard: ${rows} plan row(s) shown after a wrong passphrase`);
    await page.fill("#passphrase", passphrase);
    const clicked = Date.now();
    await page.click("#unlock button");
    if (!(await unlocked(page))) stop("dashboard: the right passphrase did not open it");
    const openedMs = Date.now() - clicked;
    const shown = await page.locator("#plans-table tbody tr").count();
    if (!shown) fail("dashboard: no plan row after unlocking");
    const kept = await page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.startsWith("plansite-key:")).length,
    );
    if (kept !== 1) fail(`dashboard: ${kept} key(s) in sessionStorage after unlocking, not 1`);
    lines.push(`protected dashboard: locked ("${title}", ${shellText.length} characters shown), wrong passphrase refused, right one shows ${shown} plan row(s) ${openedMs} ms after the click`);

    // 2. A link to a plan page, then the archive: no second prompt.
    const link = page.locator("#plans-table tbody tr a[href*='plans/']").first();
    await Promise.all([page.waitForEvent("load"), link.click()]);
    if (!(await unlocked(page))) stop("plan page: asked for the passphrase again after a link");
    const planTitle = (await page.locator("main#main h1").first().textContent())?.trim() ?? "";
    if (!planTitle) fail("plan page: no title after following the link");
    await Promise.all([page.waitForEvent("load"), page.click("a.site-link")]);
    if (!(await unlocked(page))) stop("archive: asked for the passphrase again after a link");
    lines.push(`protected links: dashboard -> "${planTitle}" -> archive without asking again`);

    // 3. Printed after unlocking: the page, not the shell.
    await page.goBack({ waitUntil: "load" });
    if (!(await unlocked(page))) stop("plan page: asked again on going back");
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const texts = await pageTexts(pdf);
    if (!planTitle || !texts[0]?.includes(squash(planTitle))) {
      fail(`plan page printed: page 1 does not hold "${planTitle}"`);
    }
    lines.push(`protected print: ${texts.length} A4 page(s), the title on page 1`);
    await context.close();
  });

  // 4. A shared link on a phone: #k= opens the page and leaves the address bar.
  await part(async () => {
    const { context, page } = await open(browser, origin, 375, failures, "shared link");
    const url = `${origin}${prefix}plans/${encodeURIComponent(folder)}/#k=${encodeURIComponent(passphrase)}`;
    await page.goto(url, { waitUntil: "load" });
    if (!(await unlocked(page))) stop("shared link: #k= did not open the plan page");
    const address = page.url();
    if (address.includes("#k=") || address.includes(encodeURIComponent(passphrase))) {
      fail(`shared link: the passphrase is still in the address bar (${address})`);
    }
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (sideways > 1) fail(`shared link at 375px: scrolls sideways by ${sideways}px`);
    page.expect404 = true;
    await page.goto(`${origin}${prefix}no-such-page/`, { waitUntil: "load" });
    if (!(await unlocked(page))) fail("404: did not open with the key of the visit");
    lines.push("protected shared link at 375px: opened, passphrase removed from the address; 404 opened");
    await context.close();
  });

  // 5. From disk, where Chromium allows Web Crypto.
  await part(async () => {
    const { context, page } = await open(browser, origin, 1280, failures, "from disk");
    const file = pathToFileURL(join(siteDir, "index.html")).href;
    await page.goto(`${file}#k=${encodeURIComponent(passphrase)}`, { waitUntil: "load" });
    if (!(await unlocked(page))) stop("from disk: #k= did not open index.html");
    const link = page.locator("#plans-table tbody tr a[href*='plans/']").first();
    await Promise.all([page.waitForEvent("load"), link.click()]);
    if (!(await unlocked(page))) fail("from disk: asked again after a link");
    lines.push("protected from disk: opened, and a link followed without asking again");
    await context.close();
  });

  return { lines, failures };
}
