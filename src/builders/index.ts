/**
 * The builders by name: `builder` in imagesmith.yaml picks one. Adding a builder is adding a module
 * that implements the port in types.ts and one entry here.
 */
import { buildahBuilder } from "./buildah.js";
import { dockerBuilder } from "./docker.js";
import type { Builder, BuilderOptions } from "./types.js";

export const BUILDERS: Record<string, (options: BuilderOptions) => Builder> = {
  buildah: buildahBuilder,
  docker: dockerBuilder,
};

/** The builder called `name`; an unknown name is an error that lists the known ones. */
export function createBuilder(name: string, options: BuilderOptions = {}): Builder {
  const make = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (!make) {
    const known = Object.keys(BUILDERS)
      .map((known) => `"${known}"`)
      .join(", ");
    throw new Error(`unknown builder "${name}": set builder in imagesmith.yaml to one of ${known}`);
  }
  return make(options);
}
