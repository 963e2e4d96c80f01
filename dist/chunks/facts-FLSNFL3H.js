#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  cycloneDxSbom,
  findSbom,
  pushSbom
} from "./chunk-WMG42F3S.js";
import "./chunk-UZLBU4PL.js";
import {
  countByManager
} from "./chunk-ALID3MX5.js";
import "./chunk-FXXF4CZO.js";
import {
  VERSION
} from "./chunk-GTKEN5HG.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import {
  formatImageReference,
  parseImageReference
} from "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// src/verify/facts.ts
async function imageFacts(registry, input) {
  const { inspection } = input;
  const facts = { installed: countByManager(inspection.inventory.packages) };
  const warnings = [];
  const size = {};
  if (inspection.unpackedBytes !== void 0) size.unpacked = inspection.unpackedBytes;
  const parsed = parseImageReference(input.ref);
  if (!parsed.ok) return { facts, warnings: [`${input.ref} is not a reference: no SBOM`] };
  const image = { ...parsed.value, tag: void 0, digest: input.digest };
  try {
    const manifest = await registry.getManifest(image);
    const layers = manifestLayers(manifest.body);
    if (layers !== void 0) size.compressed = layers;
    const sbom = cycloneDxSbom({
      inventory: inspection.inventory,
      image: {
        name: input.name,
        repository: formatImageReference({ ...parsed.value, tag: void 0, digest: void 0 }),
        digest: input.digest
      },
      ...inspection.distro ? { distro: inspection.distro } : {},
      tool: { name: "imagesmith", version: VERSION },
      timestamp: input.now.toISOString()
    });
    const pushed = await pushSbom(
      registry,
      image,
      { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.body.length },
      sbom
    );
    facts.sbom = pushed.digest;
  } catch (error) {
    warnings.push(`its SBOM was not attached: ${error.message}`);
  }
  if (Object.keys(size).length > 0) facts.size = size;
  return { facts, warnings };
}
function manifestLayers(body) {
  try {
    const data = JSON.parse(Buffer.from(body).toString("utf8"));
    if (!Array.isArray(data.layers)) return void 0;
    let total = 0;
    for (const layer of data.layers) {
      if (!Number.isSafeInteger(layer.size) || layer.size < 0) return void 0;
      total += layer.size;
    }
    return total;
  } catch {
    return void 0;
  }
}
function servedInventories(registry, previous, names) {
  const images = new Map((previous?.images ?? []).map((image) => [image.name, image]));
  const reads = /* @__PURE__ */ new Map();
  const read = async (name) => {
    const image = images.get(name);
    if (image?.url === void 0) return void 0;
    const unpacked = image.build?.size?.unpacked;
    const base = { ...unpacked === void 0 ? {} : { unpacked } };
    const parsed = parseImageReference(image.url);
    if (!parsed.ok || parsed.value.digest === void 0)
      return { ...base, packages: [], exists: false };
    try {
      const found = await findSbom(registry, parsed.value, parsed.value.digest);
      return found ? { ...base, packages: found.packages, exists: true } : { ...base, packages: [], exists: false };
    } catch {
      return { ...base, packages: [], exists: false };
    }
  };
  for (const name of names) {
    const pending = read(name);
    pending.catch(() => void 0);
    reads.set(name, pending);
  }
  return (name) => reads.get(name) ?? read(name);
}
export {
  imageFacts,
  servedInventories
};
