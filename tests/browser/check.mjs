// A real-browser check of a built plansite site.
//
//   node check.mjs <site-dir> <screenshot-dir> [<protected-site-dir>]
//   node check.mjs --serve <site-dir>     (only serve it, to look at by hand)
//
// Serves <site-dir> on 127.0.0.1 (an ephemeral port) under the sub-path
// /repo/, the way a project site is published, then opens the dashboard, the
// first plan page, the archive index, the newest archived week and the 404
// page (an address that is not there) in headless Chromium at 1280 px and at
// 375 px wide. A check fails on: a request that does not load (a network
// failure or an HTTP status >= 400, but for the 404 page's own status), a
// request that leaves the site, a console error, an uncaught page error, a
// page with no <main>, a link on the page that stays on the site but does not
// answer 200, sideways scroll at 375 px, a chart label drawn under 10 px at
// 375 px (labels.mjs), a serious or critical axe-core violation in light or
// dark mode (axe.mjs; every violation is printed), and (on the dashboard, at
// 1280 px) a table that does not sort by a column or filter by status and
// text (checkTable). The plan page is also printed to PDF on A4 (print.mjs):
// page 1 must hold its header, key figures, decision and timeline, and the
// page count must stay near what the content needs.
// With a third folder, a protected build (the passphrase in
// PLANSITE_PASSPHRASE) is served under /repo/ too and unlocked (protect.mjs).
// A full-page screenshot of every check goes to <screenshot-dir>/<page>-<width>.png.
//
// Prints one line per check, then every failure; exits 0 when all pass,
// 1 when a check failed, 2 on bad usage or when the browser cannot start.
//
// The browser is Debian's chromium (/usr/bin/chromium, or $PLANSITE_CHROMIUM,
// or `chromium` on PATH) driven by playwright-core, which never downloads a
// browser of its own.

import { createServer } from "node:http";
import { existsSync, mkdirSync, readdirSync, statSync, readFileSync } from "node:fs";
import { delimiter, extname, join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";
import { checkChartLabels, MIN_PX } from "./labels.mjs";
import { checkAxe } from "./axe.mjs";
import { checkPrint } from "./print.mjs";
import { checkProtected } from "./protect.mjs";

const PREFIX = "/repo/";
const WIDTHS = [1280, 375];
const HEIGHT = 900;
const NARROW = 375;
const NAV_TIMEOUT_MS = 30_000;
const WATCHDOG_MS = 240_000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".rss": "application/rss+xml; charset=utf-8",
  ".atom": "application/atom+xml; charset=utf-8",
  ".svg": "image/svg+xml; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
};

function usage(message) {
  if (message) console.error(`check.mjs: ${message}`);
  console.error("usage: node check.mjs <site-dir> <screenshot-dir> [<protected-site-dir>]");
  console.error("       node check.mjs --serve <site-dir>");
  process.exit(2);
}

// ---------------------------------------------------------------- server

/** The file a request path names under `root`, or null when there is none. */
function fileFor(root, urlPath) {
  if (!urlPath.startsWith(PREFIX)) return { file: null };
  let rel;
  try {
    rel = decodeURIComponent(urlPath.slice(PREFIX.length));
  } catch {
    return { file: null };
  }
  if (rel.includes("\0")) return { file: null };
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return { file: null };
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return { file: null };
  }
  if (stat.isDirectory()) {
    // Like a static host: `dir` redirects to `dir/`, `dir/` serves its index.
    if (!urlPath.endsWith("/")) return { redirect: `${urlPath}/` };
    const index = join(full, "index.html");
    return existsSync(index) ? { file: index } : { file: null };
  }
  return stat.isFile() ? { file: full } : { file: null };
}

/**
 * Serves `root` under PREFIX. `answered` maps each path asked for to the
 * status it got, so a request the browser cancels can still be explained.
 */
function startServer(root, answered) {
  const notFound = join(root, "404.html");
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const head = req.method === "HEAD";
    const answer = (status, headers) => {
      answered.set(url.pathname, status);
      return res.writeHead(status, headers);
    };
    if (req.method !== "GET" && !head) {
      answer(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === PREFIX.slice(0, -1)) {
      answer(301, { Location: PREFIX + url.search }).end();
      return;
    }
    const found = fileFor(root, url.pathname);
    if (found.redirect) {
      answer(301, { Location: found.redirect + url.search }).end();
      return;
    }
    let status = 200;
    let file = found.file;
    if (!file) {
      status = 404;
      file = existsSync(notFound) ? notFound : null;
    }
    const body = file ? readFileSync(file) : Buffer.from("404 Not Found\n");
    const type = file
      ? TYPES[extname(file).toLowerCase()] ?? "application/octet-stream"
      : "text/plain; charset=utf-8";
    answer(status, {
      "Content-Type": type,
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(head ? undefined : body);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

// ---------------------------------------------------------------- browser

function findChromium() {
  const candidates = [];
  if (process.env.PLANSITE_CHROMIUM) candidates.push(process.env.PLANSITE_CHROMIUM);
  candidates.push("/usr/bin/chromium");
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir) candidates.push(join(dir, "chromium"));
  }
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** Runs one page at one width; returns { line, failures }. */
async function checkPage(browser, origin, answered, target, width, screenshotDir) {
  const failures = [];
  const notes = [];
  const printed = [];
  const context = await browser.newContext({
    viewport: { width, height: HEIGHT },
    deviceScaleFactor: 1,
    serviceWorkers: "block",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT_MS);

  // Nothing leaves the machine: a request outside the served site fails the
  // check at once instead of waiting on a network that is not there.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url === origin) return route.continue();
    failures.push(`request outside the site: ${url}`);
    return route.abort("blockedbyclient");
  });
  page.on("requestfailed", (request) => {
    const url = request.url();
    if (!url.startsWith(origin)) return; // already reported above
    // Chromium cancels, rather than reports, a 404 page served for a
    // stylesheet or script; say what the server answered.
    const status = answered.get(new URL(url).pathname);
    const server = status && status !== 200 ? `; the server answered HTTP ${status}` : "";
    failures.push(`request failed: ${url} (${request.failure()?.errorText ?? "unknown error"}${server})`);
  });
  const url = origin + target.path;
  const expectedStatus = target.status ?? 200;
  page.on("response", (response) => {
    if (response.status() >= 400 && !(response.url() === url && response.status() === expectedStatus)) {
      failures.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const at = message.location();
    // Chromium logs the page's own status; the 404 page is meant to have it.
    if (expectedStatus !== 200 && at?.url === url && message.text().includes(`status of ${expectedStatus}`)) return;
    const where = at?.url ? ` (at ${at.url}:${at.lineNumber + 1}:${at.columnNumber + 1})` : "";
    failures.push(`console error: ${message.text()}${where}`);
  });
  page.on("pageerror", (error) => {
    failures.push(`page error: ${error.message}`);
  });

  let requests = 0;
  page.on("request", () => {
    requests += 1;
  });
  try {
    const response = await page.goto(url, { waitUntil: "load", timeout: NAV_TIMEOUT_MS });
    if (!response) failures.push(`no response for ${url}`);
    else if (response.status() !== expectedStatus) failures.push(`page answered HTTP ${response.status()}: ${url}`);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // Let anything the load event started (lazy images, scripts) finish.
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});

    const facts = await page.evaluate((narrow) => {
      const doc = document.documentElement;
      const wide = [];
      if (window.innerWidth <= narrow) {
        for (const el of document.querySelectorAll("body *")) {
          const box = el.getBoundingClientRect();
          if (box.width > 0 && box.right > window.innerWidth + 0.5) {
            const id = el.id ? `#${el.id}` : "";
            const cls =
              typeof el.className === "string" && el.className.trim()
                ? "." + el.className.trim().split(/\s+/).join(".")
                : "";
            wide.push(`<${el.tagName.toLowerCase()}${id}${cls}> right edge ${Math.round(box.right)}px`);
          }
        }
      }
      const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
      return {
        scrollWidth: doc.scrollWidth,
        innerWidth: window.innerWidth,
        mains: document.querySelectorAll("main").length,
        viewportMeta: !!document.querySelector('meta[name="viewport"]'),
        wide: wide.slice(0, 8),
        links,
      };
    }, NARROW);

    if (facts.mains === 0) failures.push("the page has no <main> element");
    if (width <= NARROW && facts.scrollWidth > facts.innerWidth) {
      const culprits = facts.wide.length ? `; too wide: ${facts.wide.join(", ")}` : "";
      failures.push(
        `sideways scroll at ${width}px: scrollWidth ${facts.scrollWidth}px > window width ${facts.innerWidth}px${culprits}`,
      );
    }
    if (!facts.viewportMeta) notes.push("no <meta name=\"viewport\">");
    if (width <= NARROW) {
      const small = await checkChartLabels(page);
      failures.push(...small.map((failure) => `chart text under ${MIN_PX}px: ${failure}`));
    }
    const axe = await checkAxe(page, `${target.name} at ${width}px`);
    failures.push(...axe.failures);
    printed.push(...axe.lines);
    if (width === WIDTHS[0]) {
      failures.push(...(await checkLinks(origin, url, facts.links)));
      if (target.name === "dashboard") failures.push(...(await checkTable(page)));
    }
  } catch (error) {
    failures.push(`could not load ${url}: ${error.message.split("\n")[0]}`);
  }

  const shot = join(screenshotDir, `${target.name}-${width}.png`);
  try {
    await page.screenshot({ path: shot, fullPage: true, animations: "disabled" });
  } catch (error) {
    failures.push(`screenshot ${shot} failed: ${error.message.split("\n")[0]}`);
  }
  await context.close();

  const status = failures.length ? "FAIL" : "ok  ";
  const extra = notes.length ? `; note: ${notes.join(", ")}` : "";
  const details = printed.map((line) => `\n     ${line}`).join("");
  const line = `${status} ${target.name} ${target.path} at ${width}x${HEIGHT}: ${requests} request(s), ${failures.length} problem(s), screenshot ${shot}${extra}${details}`;
  return { line, failures };
}

/**
 * The dashboard's table with its script: the filter form is shown; a click
 * on the Plan header sorts the rows by name (aria-sort ascending), a second
 * click reverses them; the status filter keeps only rows of that status,
 * the text filter only rows holding the text, and clearing both shows
 * every row again. Returns the failures.
 */
async function checkTable(page) {
  const failures = [];
  const table = page.locator("table.plans-table");
  if ((await table.count()) !== 1) return ["the dashboard has no table.plans-table"];
  const rows = table.locator("tbody tr:not(.group)");
  const names = () =>
    rows.evaluateAll((trs) =>
      trs.filter((tr) => !tr.hidden).map((tr) => tr.querySelector("th[scope=row]").textContent.trim()),
    );
  const form = page.locator("form#plan-filters");
  if (!(await form.isVisible())) failures.push("the filter form stays hidden with the script");
  const total = await rows.count();
  const plan = table.locator("thead th", { hasText: "Plan" });
  if ((await plan.locator("button").count()) !== 1) {
    return [...failures, "the Plan header has no sort button: the table script did not run"];
  }
  await plan.locator("button").click();
  const up = await names();
  const sorted = [...up].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  if ((await plan.getAttribute("aria-sort")) !== "ascending") failures.push("Plan header: no aria-sort=ascending after a click");
  if (JSON.stringify(up) !== JSON.stringify(sorted)) failures.push(`sorted by plan: ${JSON.stringify(up)}`);
  await plan.locator("button").click();
  const down = await names();
  if ((await plan.getAttribute("aria-sort")) !== "descending") failures.push("Plan header: no aria-sort=descending after two clicks");
  if (JSON.stringify(down) !== JSON.stringify([...sorted].reverse())) failures.push(`sorted by plan, descending: ${JSON.stringify(down)}`);

  const status = await rows.first().evaluate((tr) => tr.cells[0].className);
  await form.getByLabel("Status").selectOption(status);
  const statuses = await rows.evaluateAll((trs) => trs.filter((tr) => !tr.hidden).map((tr) => tr.cells[0].className));
  if (!statuses.length || statuses.some((s) => s !== status)) failures.push(`status filter ${status}: rows of ${JSON.stringify(statuses)}`);
  const expected = await rows.evaluateAll((trs, s) => trs.filter((tr) => tr.cells[0].className === s).length, status);
  if (statuses.length !== expected) failures.push(`status filter ${status}: ${statuses.length} rows shown of ${expected}`);
  await form.getByLabel("Status").selectOption("");

  const last = down[0];
  await form.getByLabel("Text").fill(last);
  const found = await names();
  if (!found.includes(last) || (total > 1 && found.length === total)) {
    failures.push(`text filter "${last}": ${JSON.stringify(found)}`);
  }
  await form.getByLabel("Text").fill("no plan is called this 8f1c");
  if ((await names()).length !== 0) failures.push("a text no plan holds still shows rows");
  await form.getByLabel("Text").fill("");
  if ((await names()).length !== total) failures.push("clearing the filters does not show every row");
  return failures;
}

/**
 * Links that stay on the site must answer 200 (checked once, at the first
 * width). Links to the page itself (`#main`) are not fetched again.
 */
async function checkLinks(origin, pageUrl, hrefs) {
  const failures = [];
  const seen = new Set([new URL(pageUrl).href]);
  for (const href of hrefs) {
    let url;
    try {
      url = new URL(href);
    } catch {
      failures.push(`link with a bad URL: ${href}`);
      continue;
    }
    if (url.origin !== origin) continue; // mailto:, other sites: not ours to check
    url.hash = "";
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    if (!url.pathname.startsWith(PREFIX)) {
      failures.push(`link leaves the site's sub-path ${PREFIX}: ${url.pathname}`);
      continue;
    }
    const response = await fetch(url, { redirect: "follow" });
    await response.arrayBuffer();
    if (response.status !== 200) failures.push(`link answers HTTP ${response.status}: ${url.pathname}`);
  }
  return failures;
}

// ---------------------------------------------------------------- main

async function serveOnly(siteArg) {
  const site = resolve(siteArg);
  if (!existsSync(site) || !statSync(site).isDirectory()) usage(`${site} is not a folder`);
  const server = await startServer(site, new Map());
  console.log(`serving ${site} at http://127.0.0.1:${server.address().port}${PREFIX} (Ctrl-C stops)`);
}

async function main() {
  if (process.argv[2] === "--serve") {
    if (process.argv.length !== 4) usage();
    return serveOnly(process.argv[3]);
  }
  const [siteArg, shotsArg, protectedArg, ...rest] = process.argv.slice(2);
  if (!siteArg || !shotsArg || rest.length) usage();
  if (protectedArg && !process.env.PLANSITE_PASSPHRASE) usage("a protected site needs PLANSITE_PASSPHRASE");
  const site = resolve(siteArg);
  if (!existsSync(site) || !statSync(site).isDirectory()) usage(`${site} is not a folder`);
  const screenshotDir = resolve(shotsArg);
  mkdirSync(screenshotDir, { recursive: true });

  const executablePath = findChromium();
  if (!executablePath) usage("chromium not found (apt-get install chromium, or set PLANSITE_CHROMIUM)");

  const targets = [{ name: "dashboard", path: PREFIX }];
  const setupFailures = [];
  const plansDir = join(site, "plans");
  const slugs = existsSync(plansDir)
    ? readdirSync(plansDir)
        .filter((slug) => existsSync(join(plansDir, slug, "index.html")))
        .sort()
    : [];
  if (slugs.length) {
    targets.push({ name: "plan", path: `${PREFIX}plans/${encodeURIComponent(slugs[0])}/` });
  } else {
    setupFailures.push(`no plan page: nothing matches ${join(plansDir, "*", "index.html")}`);
  }
  const archiveDir = join(site, "archive");
  const weeks = existsSync(archiveDir)
    ? readdirSync(archiveDir)
        .filter((week) => /^\d{4}-W\d{2}$/.test(week) && existsSync(join(archiveDir, week, "index.html")))
        .sort()
    : [];
  if (weeks.length) {
    targets.push({ name: "archive", path: `${PREFIX}archive/` });
    targets.push({ name: "week", path: `${PREFIX}archive/${weeks.at(-1)}/` });
  } else {
    setupFailures.push(`no archived week: nothing matches ${join(archiveDir, "YYYY-Www", "index.html")}`);
  }
  targets.push({ name: "404", path: `${PREFIX}no-such-page/`, status: 404 });

  const answered = new Map();
  const server = await startServer(site, answered);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`serving ${site} at ${origin}${PREFIX}`);

  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      chromiumSandbox: false,
      timeout: 60_000,
      // playwright-core gives every launch a fresh temporary --user-data-dir.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    server.close();
    console.error(`check.mjs: could not start ${executablePath}: ${error.message}`);
    process.exit(2);
  }
  console.log(`browser: ${executablePath} (Chromium ${browser.version()})`);

  const failures = [...setupFailures];
  let checks = 0;
  try {
    for (const target of targets) {
      for (const width of WIDTHS) {
        const result = await checkPage(browser, origin, answered, target, width, screenshotDir);
        checks += 1;
        console.log(result.line);
        for (const failure of result.failures) {
          failures.push(`${target.name} ${target.path} at ${width}px: ${failure}`);
        }
      }
      if (target.name === "plan") {
        const result = await checkPrint(browser, origin, origin + target.path, target.name, screenshotDir);
        checks += 1;
        console.log(result.line);
        for (const failure of result.failures) failures.push(`${target.name} ${target.path} printed: ${failure}`);
      }
    }
    if (protectedArg) {
      const siteDir = resolve(protectedArg);
      const lockedServer = await startServer(siteDir, new Map());
      try {
        const folders = readdirSync(join(siteDir, "plans")).sort();
        const result = await checkProtected(browser, {
          origin: `http://127.0.0.1:${lockedServer.address().port}`,
          prefix: PREFIX,
          siteDir,
          folder: folders[0] ?? "",
          passphrase: process.env.PLANSITE_PASSPHRASE,
        });
        checks += 1;
        for (const line of result.lines) console.log(line);
        for (const failure of result.failures) failures.push(`protected site: ${failure}`);
      } finally {
        lockedServer.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  if (failures.length) {
    console.log(`\nbrowser check FAILED: ${failures.length} problem(s) in ${checks} check(s):`);
    for (const failure of failures) console.log(`  - ${failure}`);
    process.exit(1);
  }
  console.log(`browser check ok: ${checks} check(s), screenshots in ${screenshotDir}`);
}

if (process.argv[2] !== "--serve") {
  const watchdog = setTimeout(() => {
    console.error(`check.mjs: gave up after ${WATCHDOG_MS / 1000}s`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
}

main().catch((error) => {
  console.error(`check.mjs: ${error.stack ?? error}`);
  process.exit(2);
});
