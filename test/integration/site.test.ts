/**
 * The catalog site in a real browser (headless Chromium): made by the CLI from a published
 * catalog file, opened from file:// as a person would open it, searched, filtered, audited for
 * accessibility and photographed in light and dark.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublishedCatalog, PublishedImage } from "../../src/catalog/types.js";
import { siteCatalog } from "../../scripts/site-catalog.mjs";
import { launchBrowser, open, seriousViolations } from "../helpers/browser.js";
import { imagesmith } from "../helpers/cli.js";

/** Where the screenshots go: the README shows one of them (copied to docs/images). */
const SCREENSHOTS = join(import.meta.dirname, "../../.imagesmith/screenshots");

let work: string;
let out: string;
let catalog: PublishedCatalog;
let browser: Browser;
let context: BrowserContext;

const url = (path: string): string => pathToFileURL(join(out, path)).href;
const byName = (name: string): PublishedImage => {
  const found = catalog.images.find((image) => image.name === name);
  if (!found) throw new Error(name);
  return found;
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "imagesmith-site-"));
  out = join(work, "site");
  catalog = siteCatalog(40) as PublishedCatalog;
  await writeFile(join(work, "catalog.json"), JSON.stringify(catalog));
  await mkdir(join(work, "root"));
  const made = await imagesmith([
    "site",
    "--root",
    join(work, "root"),
    "--catalog",
    join(work, "catalog.json"),
    "--out",
    out,
  ]);
  expect(made.code, made.err).toBe(0);
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the list", () => {
  it("shows every image, with no console error and no request leaving the site", async () => {
    const { page, errors, requests } = await open(context, url("index.html"));

    const rows = page.locator("#images tbody tr");
    expect(await rows.count()).toBe(catalog.images.length);
    expect(await page.locator("#count").textContent()).toBe(
      `${catalog.images.length} of ${catalog.images.length} images shown`,
    );
    expect(await rows.locator("td:first-child a").allTextContents()).toEqual(
      catalog.images.map((image) => image.displayName),
    );
    expect(errors).toEqual([]);
    expect(requests.filter((request) => !request.startsWith("file://"))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "list-light.png"), fullPage: false });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SCREENSHOTS, "list-dark.png"), fullPage: false });
    await page.close();
  });

  it("marks a failed, a building and a cancelled image not ready, in words a screen reader says", async () => {
    const { page } = await open(context, url("index.html"));
    const marker = (name: string) =>
      page.locator(`#images tr:has(a[href="images/${name}.html"]) .marker`);

    expect(await marker("image-0002").getAttribute("aria-label")).toBe(
      "not ready: last build failed",
    );
    expect(await marker("image-0003").getAttribute("aria-label")).toBe("not ready: building");
    expect(await marker("image-0004").getAttribute("aria-label")).toBe(
      "not ready: last build cancelled",
    );
    expect(await marker("image-0002").getAttribute("role")).toBe("img");
    expect(await marker("base-py").count()).toBe(0);
    await page.close();
  });

  it("filters as you type a group name, keeps it in the URL, and a shared URL filters the same", async () => {
    const { page, errors } = await open(context, url("index.html"));
    const named = catalog.images.filter((image) => image.groups.includes("vision"));

    await page.locator("#search").pressSequentially("vision");

    const visible = page.locator("#images tbody tr:visible td:first-child a");
    expect(await visible.allTextContents()).toEqual(named.map((image) => image.displayName));
    expect(new URL(page.url()).hash).toBe("#q=vision");
    expect(await page.locator("#count").textContent()).toBe(
      `${named.length} of ${catalog.images.length} images shown`,
    );

    // The group filter: what vision may use, the global images included.
    await page.locator("#search").fill("");
    await page.locator("#group").selectOption("vision");
    await page.locator("#type").selectOption("gpu");
    const usable = catalog.images.filter(
      (image) => (image.global || image.groups.includes("vision")) && image.type === "gpu",
    );
    expect(usable.length).toBeGreaterThan(0);
    expect(await visible.allTextContents()).toEqual(usable.map((image) => image.displayName));
    expect(new URL(page.url()).hash).toBe("#group=vision&type=gpu");

    const shared = await open(context, `${url("index.html")}#group=vision&type=gpu`);
    expect(await shared.page.locator("#group").inputValue()).toBe("vision");
    expect(
      await shared.page.locator("#images tbody tr:visible td:first-child a").allTextContents(),
    ).toEqual(usable.map((image) => image.displayName));
    const notReady = await open(context, `${url("index.html")}#status=not-ready`);
    expect(
      await notReady.page.locator("#images tbody tr:visible td:first-child a").allTextContents(),
    ).toEqual(catalog.images.filter((i) => i.status !== "ready").map((i) => i.displayName));
    expect([...errors, ...shared.errors, ...notReady.errors]).toEqual([]);
    for (const opened of [page, shared.page, notReady.page]) await opened.close();
  });

  it("is keyboard navigable: skip link first, then the search box", async () => {
    const { page } = await open(context, url("index.html"));
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.id")).toBe("search");
    await page.close();
  });

  it("passes an accessibility audit with no serious or critical violation, light and dark", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of [
        "index.html",
        "groups/index.html",
        "groups/vision.html",
        "images/image-0010.html",
        "images/image-0002.html",
      ]) {
        await page.goto(url(path));
        expect(await seriousViolations(page), `${scheme} ${path}`).toEqual([]);
      }
      await page.close();
    }
  });

  it("reads on a phone: no sideways scrolling", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const { page } = await open(phone, url("index.html"));
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, "list-phone.png") });
    await phone.close();
  });
});

describe("the site's folder", () => {
  it("is replaced when site made it, and never when it holds someone else's files", async () => {
    const args = (dir: string) => [
      "site",
      "--root",
      join(work, "root"),
      "--catalog",
      join(work, "catalog.json"),
      "--out",
      dir,
    ];
    const again = await imagesmith(args(out));
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/wrote the site of 40 images \(\d+ files\)/);

    const theirs = join(work, "theirs");
    await mkdir(theirs);
    await writeFile(join(theirs, "notes.txt"), "mine");
    const refused = await imagesmith(args(theirs));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("holds files imagesmith did not write");
    expect(await readFile(join(theirs, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("a group's page", () => {
  it("lists what the group may use: the global images and those given to it", async () => {
    const { page, errors } = await open(context, url("groups/nlp.html"));
    const names = await page.locator("#images tbody tr td:first-child a").allTextContents();
    expect(names).toEqual(
      catalog.images
        .filter((image) => image.global || image.groups.includes("nlp"))
        .map((image) => image.displayName),
    );
    expect(await page.locator("h1").textContent()).toBe("What nlp can use");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("an image's page", () => {
  it("shows the CPU and GPU references pinned by digest, with copy buttons, and who may use it", async () => {
    const image = byName("image-0010");
    expect(image.type).toBe("universal");
    const { page, errors, requests } = await open(context, url("images/image-0010.html"));

    expect(await page.locator("#url-cpu").textContent()).toBe(image.url);
    expect(await page.locator("#url-gpu").textContent()).toBe(image.urlForGpu);
    expect(image.url).not.toBe(image.urlForGpu);
    for (const ref of [image.url, image.urlForGpu]) expect(ref).toMatch(/@sha256:[0-9a-f]{64}$/);
    const access = await page.locator("dt:text-is('Who may use it') + dd").textContent();
    expect(access).toBe(image.global ? "Everyone" : image.groups.join(", "));
    await page.locator("button[data-copy=url-gpu]").click();
    await expect
      .poll(() => page.locator("button[data-copy=url-gpu]").textContent())
      .toMatch(/Copied|Select and copy/);
    expect(errors).toEqual([]);
    expect(requests.filter((request) => !request.startsWith("file://"))).toEqual([]);
    await page.close();
  });

  it("links a built image to its parent, and shows a failed attempt with its error and log", async () => {
    const child = catalog.images.find((image) => image.build?.baseImage === "image:base-py");
    expect(child).toBeDefined();
    const { page } = await open(context, url(`images/${child?.name}.html`));
    await page.locator("a", { hasText: "image:base-py" }).click();
    expect(page.url()).toBe(url("images/base-py.html"));

    const failed = await open(context, url("images/image-0002.html"));
    const attempt = failed.page.locator(".attempt");
    expect(await attempt.textContent()).toContain("E: Unable to locate package nosuchpkg");
    expect(await attempt.locator("a").getAttribute("href")).toBe(
      byName("image-0002").attempt?.logUrl,
    );
    expect(await failed.page.locator("h1 .marker").getAttribute("aria-label")).toBe(
      "not ready: last build failed",
    );
    await failed.page.screenshot({ path: join(SCREENSHOTS, "image-light.png"), fullPage: true });
    await failed.page.emulateMedia({ colorScheme: "dark" });
    await failed.page.screenshot({ path: join(SCREENSHOTS, "image-dark.png"), fullPage: true });
    for (const opened of [page, failed.page]) await opened.close();
  });

  it("escapes what the catalog says: a display name or description is never markup", async () => {
    const hostile = siteCatalog(3) as PublishedCatalog;
    const first = hostile.images[0] as PublishedImage;
    first.description =
      '<img src=x onerror="document.title=\'owned\'"><script>document.title="owned"</script>';
    const dir = join(work, "hostile");
    await writeFile(join(work, "hostile.json"), JSON.stringify(hostile));
    const made = await imagesmith([
      "site",
      "--root",
      join(work, "root"),
      "--catalog",
      join(work, "hostile.json"),
      "--out",
      dir,
    ]);
    expect(made.code, made.err).toBe(0);
    const html = await readFile(join(dir, "index.html"), "utf8");
    expect(html).not.toContain("<img src=x");
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, `images/${first.name}.html`)).href);
    expect(await page.title()).not.toBe("owned");
    expect(await page.locator(".lead").textContent()).toBe(first.description);
    await page.close();
  });
});
