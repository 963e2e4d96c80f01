import type { ImageDefinition } from "../../model.js";
import { CATALOG_BASE_PREFIX } from "../validate/index.js";

/** The catalog image an image builds on (`image:<name>`), if any. */
export function parentName(image: ImageDefinition): string | undefined {
  const base = image.build?.baseImage;
  return base?.startsWith(CATALOG_BASE_PREFIX) ? base.slice(CATALOG_BASE_PREFIX.length) : undefined;
}

/**
 * Images ordered so every parent comes before its children, siblings by name: the order builds run
 * in and plans are read in. Validation has already refused cycles and unknown parents.
 */
export function buildOrder(images: readonly ImageDefinition[]): ImageDefinition[] {
  const byName = new Map(images.map((image) => [image.name, image]));
  const children = new Map<string, ImageDefinition[]>();
  const roots: ImageDefinition[] = [];
  for (const image of images) {
    const parent = parentName(image);
    if (parent !== undefined && byName.has(parent)) {
      children.set(parent, [...(children.get(parent) ?? []), image]);
    } else {
      roots.push(image);
    }
  }
  const ordered: ImageDefinition[] = [];
  const byNameOrder = (a: ImageDefinition, b: ImageDefinition) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  // Breadth-first: all roots, then their children, so a reader meets each layer of the tree together.
  let layer = [...roots].sort(byNameOrder);
  while (layer.length > 0) {
    ordered.push(...layer);
    layer = layer.flatMap((image) => children.get(image.name) ?? []).sort(byNameOrder);
  }
  return ordered;
}
