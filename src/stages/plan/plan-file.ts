/**
 * A plan file is data, not a script. A build job executes one only after checking it against the
 * definitions it checked out: the same commit, an entry for every image, and for every built image
 * the very recipe, hash, reference and Dockerfile those definitions render on the base the plan
 * resolved, a base that is the definition's own (pinned in its repository, or its parent's recipe).
 * An edited plan (an extra RUN, a foreign push reference, another FROM) is refused, naming what
 * does not match.
 */
import type { ErrorObject } from "ajv/dist/2020.js";
import type { Catalog, ImageDefinition } from "../../model.js";
import type { Registry } from "../../registry/types.js";
import { compileSchema } from "../../schemas.js";
import planSchema from "../../../schemas/plan.schema.json" with { type: "json" };
import { isRootUser } from "../render/index.js";
import { buildOrder, parentName } from "./graph.js";
import {
  type BaseConfigCache,
  baseUser,
  type Plan,
  type PlannedImage,
  PLAN_ACTIONS,
} from "./index.js";
import {
  catalogBase,
  parsePlatform,
  parseReference,
  planRecipe,
  registryBaseFrom,
  type ResolvedBase,
  stripDigest,
} from "./recipe.js";

export { planSchema };

export interface PlanFileContext {
  catalog: Catalog;
  /** The checkout's own commit and repository. */
  source: { repo?: string; commit?: string };
  /** Reads base configs, to check the user a plan restores. */
  registry: Registry;
  baseConfigs?: BaseConfigCache;
}

/**
 * Checks plan data (parsed from a file) against the schema and against the definitions; resolves
 * to the plan with its summary recounted, or rejects with a message naming the first mismatch.
 */
export async function verifyPlan(data: unknown, context: PlanFileContext): Promise<Plan> {
  const validate = compileSchema(planSchema);
  if (!validate(data)) {
    const first = (validate.errors ?? [])[0];
    throw new Error(`it does not match schemas/plan.schema.json: ${describe(first)}`);
  }
  const plan = data as Plan;
  const { catalog, source } = context;
  if (plan.source.commit && source.commit && plan.source.commit !== source.commit)
    throw new Error(
      `it was made at commit ${plan.source.commit}, and this checkout is at ${source.commit}: plan again here, or check out that commit`,
    );
  if (plan.errors.length > 0)
    throw new Error(
      `it has errors (${plan.errors.map((e) => e.image).join(", ")}): it cannot be executed`,
    );

  const entries = new Map<string, PlannedImage>();
  for (const entry of plan.images) {
    if (entries.has(entry.name)) throw new Error(`it lists ${entry.name} twice`);
    entries.set(entry.name, entry);
  }
  const definitions = new Map(catalog.images.map((image) => [image.name, image]));
  for (const entry of plan.images) {
    if (definitions.has(entry.name) === (entry.action === "remove"))
      throw new Error(
        entry.action === "remove"
          ? `it removes ${entry.name}, which the catalog here still defines`
          : `it ${entry.action === "build" ? "builds" : "plans"} ${entry.name}, which the catalog here does not define: it was planned from other definitions`,
      );
  }

  const platform = parsePlatform(catalog.config.platform);
  const verified = new Map<string, PlannedImage>();
  for (const image of buildOrder(catalog.images)) {
    const entry = entries.get(image.name);
    if (!entry)
      throw new Error(`it has no entry for ${image.name}: it was planned from other definitions`);
    if (image.build) await verifyBuilt(image, entry, verified, context, platform);
    else verifyExisting(image, entry);
    verified.set(image.name, entry);
  }

  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0])) as Plan["summary"];
  for (const entry of plan.images) summary[entry.action] += 1;
  return { ...plan, summary };
}

function verifyExisting(image: ImageDefinition, entry: PlannedImage): void {
  const mismatch = (what: string) =>
    new Error(`${image.name}: ${what} is not what its definition (${image.file}) says`);
  if (entry.action === "build" || entry.recipeHash !== null || entry.dockerfile !== undefined)
    throw mismatch("a build");
  if (entry.ref !== image.url) throw mismatch(`the reference ${entry.ref}`);
  const gpu =
    image.type === "universal" && image.urlForGpu !== undefined && image.urlForGpu !== image.url
      ? image.urlForGpu
      : undefined;
  if (entry.gpuRef !== gpu) throw mismatch(`the GPU reference ${entry.gpuRef ?? "(none)"}`);
  if (entry.digest === undefined) throw mismatch("an entry without a digest");
}

async function verifyBuilt(
  image: ImageDefinition,
  entry: PlannedImage,
  verified: Map<string, PlannedImage>,
  context: PlanFileContext,
  platform: ReturnType<typeof parsePlatform>,
): Promise<void> {
  const build = image.build;
  if (!build) return;
  const { catalog, source } = context;
  const config = catalog.config;
  const fail = (what: string) =>
    new Error(`${image.name}: ${what}, which is not what ${image.file} at this commit renders`);
  if (entry.recipeHash === null || !entry.base) throw fail("it has no recipe");
  if (entry.base.image !== build.baseImage) throw fail(`its base is ${entry.base.image}`);

  const parent = parentName(image);
  let expected: ResolvedBase;
  if (parent !== undefined) {
    const parentEntry = verified.get(parent);
    if (!parentEntry) throw fail(`its base image:${parent} has no verified entry`);
    if (parentEntry.recipeHash !== null) {
      expected = catalogBase(parentEntry.ref, parentEntry.recipeHash, parentEntry.base?.user);
    } else {
      const pinned = `${stripDigest(parentEntry.ref)}@${parentEntry.digest ?? ""}`;
      expected = await registryBase(pinned, parentEntry.digest ?? "", context, platform);
    }
    if (entry.dependsOn.length !== 1 || entry.dependsOn[0] !== parent)
      throw fail(`it depends on ${entry.dependsOn.join(", ") || "nothing"}`);
  } else {
    const pinned = parseReference(build.baseImage).digest;
    if (pinned !== undefined && entry.base.digest !== pinned)
      throw fail(`its base digest is ${entry.base.digest}`);
    if (entry.base.digest.startsWith("recipe:"))
      throw fail(`its base is the recipe ${entry.base.digest}`);
    expected = await registryBase(build.baseImage, entry.base.digest, context, platform);
    if (entry.dependsOn.length !== 0) throw fail(`it depends on ${entry.dependsOn.join(", ")}`);
  }
  if (entry.base.from !== expected.from) throw fail(`it builds FROM ${entry.base.from}`);
  if (entry.base.digest !== expected.digest) throw fail(`its base digest is ${entry.base.digest}`);
  if ((entry.base.user ?? undefined) !== expected.user)
    throw fail(`it restores the user ${entry.base.user ?? "root"}`);

  const recipe = planRecipe(image, expected, config, source);
  if (entry.recipeHash !== recipe.hash) throw fail(`its recipe hash is ${entry.recipeHash}`);
  if (entry.ref !== recipe.ref) throw fail(`it pushes to ${entry.ref}`);
  if (entry.action === "build" && entry.dockerfile === undefined)
    throw new Error(
      `it builds ${image.name} but holds no Dockerfile for it (the Action's plan output leaves them out of a large plan; plan-file keeps them)`,
    );
  if (entry.dockerfile !== undefined && entry.dockerfile !== recipe.dockerfile)
    throw fail(
      `its Dockerfile differs at line ${firstDifference(entry.dockerfile, recipe.dockerfile)}`,
    );
}

/** A registry base at `digest`: its FROM through the mirror, and the user its config names. */
async function registryBase(
  reference: string,
  digest: string,
  context: PlanFileContext,
  platform: ReturnType<typeof parsePlatform>,
): Promise<ResolvedBase> {
  const config = context.catalog.config;
  const user = await baseUser(
    reference,
    digest,
    config,
    context.registry,
    platform,
    context.baseConfigs,
  );
  return {
    from: registryBaseFrom(reference, digest, config),
    digest,
    ...(isRootUser(user) || user === undefined ? {} : { user }),
  };
}

/** The 1-based line where two texts first differ, and that line as the plan has it. */
function firstDifference(planned: string, rendered: string): string {
  const a = planned.split("\n");
  const b = rendered.split("\n");
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line])
      return `${line + 1} (${JSON.stringify((a[line] ?? "").slice(0, 120))})`;
  }
  return "?";
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return "it is invalid";
  const at = error.instancePath === "" ? "/" : error.instancePath;
  if (error.keyword === "additionalProperties")
    return `${at}: unknown field ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`;
  return `${at}: ${error.message ?? "is invalid"}`;
}
