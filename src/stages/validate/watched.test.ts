import { describe, expect, it } from "vitest";
import type { CatalogConfig, ImageDefinition } from "../../model.js";
import { parseYamlFile } from "../../source/yaml-file.js";
import {
  type CatalogSources,
  validateCatalog,
  validateCatalogWatched,
  type ValidationWatcher,
} from "./index.js";

/** A catalog in memory: imagesmith.yaml and definitions, file name → text. */
function sources(config: string, definitions: Record<string, string>): CatalogSources {
  return {
    root: "/catalog",
    config: parseYamlFile("imagesmith.yaml", Buffer.from(config)),
    definitions: Object.entries(definitions).map(([file, text]) => ({
      file,
      bytes: Buffer.from(text),
      system: true,
    })),
    problems: [],
  };
}

const existing = (name: string) =>
  `displayName: ${name}\nurl: registry.acme/upstream/${name}:1\nglobal: true\n`;

/** What a watcher was told, in order: "config", "image <name>", "invalid". */
function recorder(): ValidationWatcher & { told: string[]; images: ImageDefinition[] } {
  const told: string[] = [];
  const images: ImageDefinition[] = [];
  return {
    told,
    images,
    config: (config: CatalogConfig) => told.push(`config ${config.registry ?? ""}`),
    image(image) {
      told.push(`image ${image.name}`);
      images.push(image);
    },
    invalid: () => told.push("invalid"),
  };
}

describe("validateCatalogWatched", () => {
  it("gives the result validateCatalog gives, and tells the config and then every image, the very objects of the catalog", async () => {
    const catalog = sources("registry: registry.acme/ml\n", {
      "images/b.yaml": existing("b"),
      "images/a.yaml": existing("a"),
    });
    const watcher = recorder();

    const watched = await validateCatalogWatched(catalog, watcher);

    expect(JSON.stringify(watched)).toBe(JSON.stringify(validateCatalog(catalog)));
    expect(watched.valid).toBe(true);
    expect(watcher.told).toEqual(["config registry.acme/ml", "image b", "image a"]);
    expect(watcher.images.every((image) => watched.catalog.images.includes(image))).toBe(true);
  });

  it("tells nothing more after the first error, and still reports every problem", async () => {
    const catalog = sources("registry: registry.acme/ml\n", {
      "images/a.yaml": existing("a"),
      "images/b.yaml": "displayName: B\nurl: registry.acme/upstream/b:1\nglobal: true\n",
      "images/c.yaml": existing("c"),
      "images/d.yaml": "displayName: d\nglobal: true\n",
    });
    const watcher = recorder();

    const watched = await validateCatalogWatched(catalog, watcher);

    expect(watcher.told).toEqual(["config registry.acme/ml", "image a", "invalid"]);
    expect(watched.valid).toBe(false);
    expect(watched.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`)).toEqual(
      validateCatalog(catalog).problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`),
    );
    expect(watched.problems.filter((p) => p.severity === "error").map((p) => p.file)).toEqual([
      "images/b.yaml",
      "images/d.yaml",
    ]);
  });

  it("tells no config when imagesmith.yaml has an error, and a catalog invalid across files only at the end", async () => {
    const badConfig = recorder();
    const twice = recorder();

    await validateCatalogWatched(
      sources("registry: not a registry\n", { "images/a.yaml": existing("a") }),
      badConfig,
    );
    const duplicate = await validateCatalogWatched(
      sources("registry: registry.acme/ml\n", {
        "images/a.yaml": existing("a"),
        "images/groups/x/a.yaml": existing("a"),
      }),
      twice,
    );

    expect(badConfig.told).toEqual(["invalid"]);
    expect(twice.told).toEqual(["config registry.acme/ml", "image a", "image a", "invalid"]);
    expect(duplicate.problems.map((p) => p.rule)).toEqual(["unique-name", "unique-name"]);
  });

  it("checks no definition while pace holds validation back, and goes on once it settles", async () => {
    const catalog = sources("registry: registry.acme/ml\n", {
      "images/a.yaml": existing("a"),
      "images/b.yaml": existing("b"),
    });
    const told: string[] = [];
    let release = (): void => undefined;
    let holding: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));

    const watching = validateCatalogWatched(catalog, {
      config: () => told.push("config"),
      image: (image) => told.push(image.name),
      pace: () => holding,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const whileHeld = [...told];
    holding = undefined;
    release();
    const watched = await watching;

    expect(whileHeld).toEqual(["config"]);
    expect(told).toEqual(["config", "a", "b"]);
    expect(watched.valid).toBe(true);
  });

  it("leaves the event loop free while a large catalog is checked", async () => {
    const definitions: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) definitions[`images/i${i}.yaml`] = existing(`i${i}`);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);

    const watched = await validateCatalogWatched(
      sources("registry: registry.acme/ml\n", definitions),
      {},
    );
    clearInterval(ticking);

    expect(watched.catalog.images).toHaveLength(2000);
    expect(turns).toBeGreaterThan(0);
  });
});
