/** The published catalog as a platform reads it: the artifact in the registry. */
import {
  pullCatalogArtifact,
  type PulledCatalog,
  type PublishedCatalog,
  type PublishedImage,
} from "../../src/catalog/index.js";
import { createRegistry } from "../../src/registry/client.js";
import { RegistryError } from "../../src/registry/types.js";

/** What `host/prefix/imagesmith-catalog:latest` holds; undefined when nothing is published. */
export async function publishedAt(
  host: string,
  prefix: string,
): Promise<PulledCatalog | undefined> {
  const client = createRegistry({ insecureRegistries: [host] });
  try {
    return await pullCatalogArtifact(client, `${host}/${prefix}/imagesmith-catalog:latest`);
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return undefined;
    throw error;
  }
}

/** What is served under `host/prefix`; throws when nothing is. */
export async function servedAt(host: string, prefix: string): Promise<PulledCatalog> {
  const found = await publishedAt(host, prefix);
  if (!found) throw new Error(`nothing is published under ${host}/${prefix}`);
  return found;
}

/** One image of a catalog; throws naming it when it is not there. */
export function imageIn(catalog: PublishedCatalog, name: string): PublishedImage {
  const found = catalog.images.find((entry) => entry.name === name);
  if (!found) throw new Error(`${name} is not in the catalog`);
  return found;
}
