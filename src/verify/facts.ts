/**
 * The facts of a pushed image that the catalog records with its build: its compressed size (the
 * layers of the manifest the registry holds), its unpacked size and package counts (from its
 * inspection), and its SBOM, pushed as a CycloneDX artifact whose subject is the image.
 */
import type { BuildFacts, PublishedCatalog } from "../catalog/types.js";
import { formatImageReference, parseImageReference } from "../grammars/image-ref.js";
import type { Registry } from "../registry/types.js";
import { cycloneDxSbom } from "../sbom/cyclonedx.js";
import { findSbom, pushSbom } from "../sbom/referrers.js";
import { VERSION } from "../version.js";
import { countByManager, type Inspection, type ServedInventory } from "./index.js";

export async function imageFacts(
  registry: Registry,
  input: { name: string; ref: string; digest: string; inspection: Inspection; now: Date },
): Promise<{ facts: BuildFacts; warnings: string[] }> {
  const { inspection } = input;
  const facts: BuildFacts = { installed: countByManager(inspection.inventory.packages) };
  const warnings: string[] = [];
  const size: NonNullable<BuildFacts["size"]> = {};
  if (inspection.unpackedBytes !== undefined) size.unpacked = inspection.unpackedBytes;
  const parsed = parseImageReference(input.ref);
  if (!parsed.ok) return { facts, warnings: [`${input.ref} is not a reference: no SBOM`] };
  const image = { ...parsed.value, tag: undefined, digest: input.digest };
  try {
    const manifest = await registry.getManifest(image);
    const layers = manifestLayers(manifest.body);
    if (layers !== undefined) size.compressed = layers;
    const sbom = cycloneDxSbom({
      inventory: inspection.inventory,
      image: {
        name: input.name,
        repository: formatImageReference({ ...parsed.value, tag: undefined, digest: undefined }),
        digest: input.digest,
      },
      ...(inspection.distro ? { distro: inspection.distro } : {}),
      tool: { name: "imagesmith", version: VERSION },
      timestamp: input.now.toISOString(),
    });
    const pushed = await pushSbom(
      registry,
      image,
      { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.body.length },
      sbom,
    );
    facts.sbom = pushed.digest;
  } catch (error) {
    warnings.push(`its SBOM was not attached: ${(error as Error).message}`);
  }
  if (Object.keys(size).length > 0) facts.size = size;
  return { facts, warnings };
}

/** The sum of an image manifest's layer sizes; undefined for anything else. */
function manifestLayers(body: Uint8Array): number | undefined {
  try {
    const data = JSON.parse(Buffer.from(body).toString("utf8")) as { layers?: unknown };
    if (!Array.isArray(data.layers)) return undefined;
    let total = 0;
    for (const layer of data.layers as { size?: unknown }[]) {
      if (!Number.isSafeInteger(layer.size) || (layer.size as number) < 0) return undefined;
      total += layer.size as number;
    }
    return total;
  } catch {
    return undefined;
  }
}

/**
 * The inventory of each image the platform serves now, from the SBOM attached to its served
 * digest, read once per image and started as soon as asked (a verification asks before it builds,
 * so the reads overlap the builds). An image that serves nothing is undefined; one whose served
 * image has no SBOM (an existing image, or built before SBOMs) has `exists: false`.
 */
export function servedInventories(
  registry: Registry,
  previous: PublishedCatalog | undefined,
  names: readonly string[],
): ServedInventory {
  const images = new Map((previous?.images ?? []).map((image) => [image.name, image]));
  const reads = new Map<string, ReturnType<ServedInventory>>();
  const read = async (name: string): ReturnType<ServedInventory> => {
    const image = images.get(name);
    if (image?.url === undefined) return undefined;
    const unpacked = image.build?.size?.unpacked;
    const base = { ...(unpacked === undefined ? {} : { unpacked }) };
    const parsed = parseImageReference(image.url);
    if (!parsed.ok || parsed.value.digest === undefined)
      return { ...base, packages: [], exists: false };
    try {
      const found = await findSbom(registry, parsed.value, parsed.value.digest);
      return found
        ? { ...base, packages: found.packages, exists: true }
        : { ...base, packages: [], exists: false };
    } catch {
      return { ...base, packages: [], exists: false };
    }
  };
  for (const name of names) {
    const pending = read(name);
    pending.catch(() => undefined);
    reads.set(name, pending);
  }
  return (name) => reads.get(name) ?? read(name);
}
