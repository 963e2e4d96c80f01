/**
 * A real browser for page tests: Debian's chromium, driven by playwright-core (whose own browser
 * downloads cannot reach the internet here). Every page opened through `open` records its console
 * errors, uncaught exceptions and every request it makes, so a test can say "no errors" and "no
 * request left the site".
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error(
      "no chromium: install Debian's chromium package (apt-get install chromium); scripts/ensure-tools.mjs does",
    );
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // As root (CI here) Chromium refuses its sandbox; the pages are the test's own files.
    args: ["--no-sandbox", "--disable-gpu"],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console messages of type error, and uncaught exceptions. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
}

export async function open(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForLoadState("load");
  return { page, errors, requests };
}

const require = createRequire(import.meta.url);

/**
 * axe-core's audit of the page (WCAG 2 A and AA, and best practices): the violations of serious or
 * critical impact, each as "rule: target, ...". Injected through the protocol, not a script tag,
 * so the page's own Content-Security-Policy stays as it is.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  // A string, not a function: the page's globals (axe, document) are not this program's types.
  const results = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } })`,
  )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 5)
          .map((node) => node.target.join(" "))
          .join(", ")}`,
    );
}
