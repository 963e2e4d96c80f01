/**
 * `sync primehub`: make PrimeHub's images and their access match the published catalog. Read
 * PrimeHub (one request) and the ledger, diff (planSync), claim the names about to be created,
 * send the changes (aliased mutations, a chunk per request), release the names deleted.
 */
import type { PublishedCatalog } from "../catalog/types.js";
import type { ApplyOutcome, PrimeHubPort } from "./graphql.js";
import type { Ledger } from "./ledger.js";
import { planSync, type SyncPlan } from "./primehub.js";

export type { SyncAction, SyncPlan, SyncAccessChange } from "./primehub.js";
export { primeHubClient, PrimeHubError } from "./graphql.js";
export { fileLedger, ledgerTag, registryLedger } from "./ledger.js";

export interface SyncResult {
  plan: SyncPlan;
  /** How each change went; empty on a dry run. */
  outcomes: ApplyOutcome[];
  dryRun: boolean;
  /** Requests sent to PrimeHub. */
  requests: number;
  ledger: string;
}

export async function syncCatalog(input: {
  catalog: PublishedCatalog;
  port: PrimeHubPort;
  ledger: Ledger;
  adopt?: readonly string[];
  dryRun?: boolean;
}): Promise<SyncResult> {
  const [state, owned] = await Promise.all([input.port.read(), input.ledger.read()]);
  const plan = planSync({
    catalog: input.catalog,
    state,
    owned,
    ...(input.adopt ? { adopt: input.adopt } : {}),
  });
  const result = (outcomes: ApplyOutcome[]): SyncResult => ({
    plan,
    outcomes,
    dryRun: input.dryRun === true,
    requests: input.port.requests,
    ledger: input.ledger.where,
  });
  if (input.dryRun) return result([]);
  // Claimed first: an image made by a sync that is then cut short is still imagesmith's.
  if (plan.claims.length > 0) await input.ledger.write([...owned, ...plan.claims]);
  const outcomes = plan.actions.length > 0 ? await input.port.apply(plan.actions) : [];
  const deleted = new Set(
    outcomes.filter((o) => o.ok && o.action.kind === "delete").map((o) => o.action.name),
  );
  const present = new Set(state.images.map((image) => image.name));
  const released = plan.releases.filter((name) => deleted.has(name) || !present.has(name));
  if (released.length > 0) {
    const kept = new Set([...owned, ...plan.claims]);
    for (const name of released) kept.delete(name);
    await input.ledger.write([...kept]);
  }
  return result(outcomes);
}
