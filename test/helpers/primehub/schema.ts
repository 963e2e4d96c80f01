import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";

/** Our SDL of the part of PrimeHub's API a sync touches. */
export const PRIMEHUB_SDL = join(import.meta.dirname, "schema.graphql");

/** The schema the stand-in validates and executes against, built from {@link PRIMEHUB_SDL}. */
export function primeHubSchema(): GraphQLSchema {
  return buildSchema(readFileSync(PRIMEHUB_SDL, "utf8"));
}
