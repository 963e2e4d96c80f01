/**
 * The ledger: the names of the PrimeHub images imagesmith created (or was handed with `--adopt`)
 * on one PrimeHub, the only ones a sync updates or deletes. PrimeHub's API keeps no mark a
 * person's edit leaves alone, so the ledger lives with the catalog: an OCI artifact next to it in
 * the registry (`<registry>/imagesmith-catalog:primehub-<endpoint hash>`), or a file for a catalog
 * with no registry.
 *
 * A sync claims names before it creates them and releases them after it deleted them, so an
 * interrupted sync never leaves an image imagesmith made that the ledger does not name.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ImageReference } from "../grammars/image-ref.js";
import {
  artifactManifest,
  OCI_MANIFEST_MEDIA_TYPE,
  pushArtifactBlobs,
} from "../registry/artifact.js";
import type { Registry } from "../registry/types.js";
import { writeFileAtomic } from "../workdir.js";

export const LEDGER_MEDIA_TYPE = "application/vnd.imagesmith.primehub-ledger.v1+json";
const MAX_NAMES = 100_000;

export interface Ledger {
  /** Where it is kept, for messages. */
  readonly where: string;
  read(): Promise<string[]>;
  write(names: readonly string[]): Promise<void>;
}

/** The tag of one PrimeHub's ledger: the endpoint's hash, so two PrimeHubs never share one. */
export function ledgerTag(endpoint: string): string {
  return `primehub-${createHash("sha256").update(endpoint).digest("hex").slice(0, 16)}`;
}

interface LedgerDocument {
  apiVersion: "imagesmith/v1";
  kind: "PrimeHubLedger";
  endpoint: string;
  names: string[];
}

function encode(endpoint: string, names: readonly string[]): Uint8Array {
  const document: LedgerDocument = {
    apiVersion: "imagesmith/v1",
    kind: "PrimeHubLedger",
    endpoint,
    names: [...new Set(names)].sort(),
  };
  return new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
}

function decode(text: string, where: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`the ledger ${where} is not JSON`);
  }
  const document = data as Partial<LedgerDocument>;
  if (document?.kind !== "PrimeHubLedger" || !Array.isArray(document.names))
    throw new Error(`${where} is not an imagesmith PrimeHub ledger`);
  return document.names
    .filter(
      (name): name is string =>
        typeof name === "string" && /^[a-z0-9][a-z0-9.-]{0,252}$/.test(name),
    )
    .slice(0, MAX_NAMES);
}

export function fileLedger(path: string, endpoint: string): Ledger {
  return {
    where: path,
    async read() {
      const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      return text === undefined ? [] : decode(text, path);
    },
    async write(names) {
      await writeFileAtomic(path, Buffer.from(encode(endpoint, names)).toString("utf8"));
    },
  };
}

export function registryLedger(
  registry: Registry,
  repository: ImageReference,
  endpoint: string,
): Ledger {
  const tag = ledgerTag(endpoint);
  const ref = { ...repository, tag, digest: undefined } as ImageReference;
  const where = `${repository.domain}/${repository.path}:${tag}`;
  return {
    where,
    async read() {
      let manifest;
      try {
        manifest = await registry.getManifest(ref);
      } catch (error) {
        if ((error as { code?: string }).code === "not-found") return [];
        throw error;
      }
      const data = JSON.parse(Buffer.from(manifest.body).toString("utf8")) as {
        layers?: { mediaType?: string; digest?: string }[];
      };
      const layer = data.layers?.find((entry) => entry.mediaType === LEDGER_MEDIA_TYPE);
      if (!layer?.digest) throw new Error(`${where} is not an imagesmith PrimeHub ledger`);
      const blob = await registry.getBlob(repository, layer.digest);
      return decode(Buffer.from(blob).toString("utf8"), where);
    },
    async write(names) {
      const layer = await pushArtifactBlobs(registry, repository, encode(endpoint, names));
      await registry.pushManifest(
        ref,
        artifactManifest({
          artifactType: LEDGER_MEDIA_TYPE,
          layer: { mediaType: LEDGER_MEDIA_TYPE, digest: layer.digest, size: layer.size },
        }),
        OCI_MANIFEST_MEDIA_TYPE,
      );
    },
  };
}
