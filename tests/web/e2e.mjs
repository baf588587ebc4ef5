// The workbench as a strategist uses it, in headless Chromium: open the app,
// change the intensive family service's capacity, run it against the
// baseline and read the changed figure from the page; see a bad value refused
// beside its field; save the option and load it back. Keeps a screenshot of
// the comparison and the timings as test artefacts.
//   node tests/web/e2e.mjs EHSIM WEB_DIR SOURCE_DIR ARTEFACTS_DIR
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [ehsim, web, source, artefacts] = process.argv.slice(2);
const require = createRequire(join(source, "web", "package.json"));
const { chromium } = require("playwright-core");

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}
function check(condition, message) {
  if (!condition) fail(message);
  console.log(`ok: ${message}`);
}

const workspace = mkdtempSync(join(tmpdir(), "ehsim-e2e-"));
const server = spawn(ehsim, ["serve", "--web", web, "--workspace", workspace, "--configs", join(source, "configs"),
  "--scenarios", join(source, "scenarios"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let text = "";
  server.stdout.on("data", (chunk) => {
    text += chunk;
    const found = text.match(/open (http:\/\/\S+)/);
    if (found) resolve(found[1]);
  });
  server.on("exit", (code) => reject(new Error(`ehsim serve exited with ${code}: ${text}`)));
  setTimeout(() => reject(new Error("ehsim serve printed no address")), 20000);
});

const executable = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((path) => existsSync(path));
const browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox", "--disable-gpu"] });
const timings = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  check((await page.locator("#authority option").count()) >= 6, "the authorities are listed, the presets with them");
  // A bad value: refused beside its field, with the configuration's own words.
  const capacity = page.locator("#field-services-intensive_family_service-capacity_cases");
  await capacity.fill("-5");
  const error = page.locator('.field[data-key="services.intensive_family_service.capacity_cases"] .error');
  await error.filter({ hasText: "outside the allowed range" }).waitFor({ timeout: 10000 });
  check(true, "a capacity below 0 is refused beside its field");
  // The option: 300 places instead of 180, 24 months, 4 replicates.
  await capacity.fill("300");
  await page.fill("#option-name", "more_places");
  await page.fill("#option-description", "Option: 300 intensive family support places");
  await page.fill("#replicates", "4");
  await page.fill("#months", "24");
  await page.check("#future-rise_in_domestic_abuse");
  await page.locator("#diff td", { hasText: "services.intensive_family_service.capacity_cases" }).waitFor({ state: "attached", timeout: 10000 });
  check((await page.textContent("#toml")).includes("capacity_cases = 300"), "the option is shown as its TOML overlay");
  const started = Date.now();
  await page.click("#run");
  await page.waitForSelector("#headline", { timeout: 120000 });
  timings.run_24_months_4_replicates_ms = Date.now() - started;
  const headline = await page.textContent("#headline");
  check(/Level 4 family-months\s*[−+]?[\d,]+/.test(headline), "the comparison shows the change in level 4 family-months");
  check(/Net cost over the horizon\s*[+−]£/.test(headline), "and the net cost");
  check((await page.locator("figure.fan").count()) === 4, "a fan chart for each level");
  const decision = await page.textContent("#decision");
  check(decision.includes("as planned") && decision.includes("rise in domestic abuse"), "the option as planned and under the future it was asked to run under");
  check((await page.locator("figure.fan").first().getAttribute("data-level")) === "4", "level 4 first");
  check((await page.textContent("#progress-text")).startsWith("done: 4 replicates"), "progress says the run is done");
  check(/Intensive family service\s*180\s*300/.test(await page.textContent("#waiting")), "waiting lists against the places, before and after");
  check((await page.textContent("#dashboard")).includes("children in care"), "and the dashboard");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-results")]);
  const saved = join(artefacts, "serve-results.h5");
  mkdirSync(artefacts, { recursive: true });
  await download.saveAs(saved);
  check(readFileSync(saved).subarray(0, 4).toString("latin1") === "\x89HDF", "the results file downloads as HDF5");
  const [report] = await Promise.all([page.waitForEvent("popup", { timeout: 120000 }), page.click("#open-report")]);
  await report.waitForLoadState();
  check((await report.content()).includes('id="comparison"'), "the board report opens with the comparison");
  await report.close();
  mkdirSync(artefacts, { recursive: true });
  await page.screenshot({ path: join(artefacts, "serve-comparison.png"), fullPage: true });
  // The default comparison as the speed aim states it: 10 replicates, 10 years.
  await page.uncheck("#future-rise_in_domestic_abuse");
  await page.fill("#replicates", "10");
  await page.fill("#months", "");
  await page.fill("#option-name", "more_places_ten_years");
  const defaultStarted = Date.now();
  await page.click("#run");
  await page.locator("#side-by-side-table").waitFor({ timeout: 300000 });
  timings.default_comparison_ms = Date.now() - defaultStarted;
  timings.default_comparison_progress = await page.textContent("#progress-text");
  // The warm-up ran while the page was filled in; on a slow machine it may not have finished.
  const kept = /\((\d+) of its 20 runs kept from earlier runs\)/.exec(timings.default_comparison_progress);
  check(kept !== null && Number(kept[1]) >= 2 && Number(kept[1]) <= 10,
        "the default comparison finds its baseline warmed up while the option was built");
  check((await page.locator("#side-by-side-table th").count()) === 3, "two runs side by side");
  // This option set against the earlier one, paired replicate by replicate.
  await page.selectOption("#against-choice", "more_places");
  await page.click("#run-against");
  await page.locator("#against-table").waitFor({ timeout: 300000 });
  const pair = await page.textContent("#against");
  check(pair.includes("Against Option: 300 intensive family support places") && /Chance this one costs less\s*\d+%/.test(pair),
        "an option set against another: the difference and the chance it costs less");
  // Saved in the workspace, listed, loaded back into the form.
  await page.fill("#option-name", "more_places");
  await page.click("#save");
  await page.locator("#saved-message", { hasText: "Saved more_places.toml" }).waitFor({ timeout: 10000 });
  check(existsSync(join(workspace, "more_places.toml")), "the option is saved as a TOML file in the workspace");
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  check((await capacity.inputValue()) === "180", "a fresh page starts from the authority as it is");
  await page.click('button[data-option="more_places"]');
  await page.locator("#saved-message", { hasText: "Loaded more_places" }).waitFor({ timeout: 10000 });
  check((await capacity.inputValue()) === "300", "the saved option loads back into the form");
  check((await page.inputValue("#option-description")) === "Option: 300 intensive family support places", "with its description");
  writeFileSync(join(artefacts, "serve-timings.json"), JSON.stringify(timings, null, 2) + "\n");
  console.log(JSON.stringify(timings));
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(workspace, { recursive: true, force: true });
}
