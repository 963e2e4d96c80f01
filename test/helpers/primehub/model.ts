/**
 * PrimeHub's image bookkeeping in memory, for the test stand-in of its GraphQL API: what its
 * image resolvers do to the two stores behind them, and the errors they answer with.
 *
 * PrimeHub keeps an image in two places. The Kubernetes resource `Image` holds the fields
 * (display name, URLs, type, pull secret, group name). Access lives in Keycloak: each image has
 * a realm role `img:<name>`, mapped to every group that may use it; "global" is a mapping to the
 * hidden group everyone belongs to. The model keeps both stores apart, because PrimeHub writes
 * them one after another without a transaction, and a sync must survive the halfway states that
 * leaves: a role without a resource after a rejected name, a resource whose group connects
 * failed, a patch applied though its group changes were refused.
 */
import { randomUUID } from "node:crypto";

/** The id of the hidden group everyone belongs to; never listed among the groups. */
export const EVERYONE_GROUP_ID = "everyone";

export type PrimeHubErrorCode =
  "RESOURCE_CONFLICT" | "RESOURCE_NOT_FOUND" | "INTERNAL_SERVER_ERROR";

/** An error as PrimeHub answers it: `message` and `extensions.code` of a GraphQL error. */
export class PrimeHubError extends Error {
  readonly code: PrimeHubErrorCode;

  constructor(message: string, code: PrimeHubErrorCode) {
    super(message);
    this.name = "PrimeHubError";
    this.code = code;
  }
}

// The messages are PrimeHub's own, as its error formatter passes them on: the role conflict is
// its ApolloError; a missing resource is the Kubernetes client's message inside a Boom error;
// anything else from Keycloak or Kubernetes reaches the client as the underlying HTTP client's
// message under Apollo's default code.
const conflict = () => new PrimeHubError("Resource already exist", "RESOURCE_CONFLICT");
const notFound = () => new PrimeHubError("HTTP request failed", "RESOURCE_NOT_FOUND");
const kubernetesRefused = () => new PrimeHubError("HTTP request failed", "INTERNAL_SERVER_ERROR");
const keycloakNotFound = () =>
  new PrimeHubError("Request failed with status code 404", "INTERNAL_SERVER_ERROR");

export interface SeedGroup {
  /** Keycloak's id; a random UUID when left out. */
  id?: string;
  name: string;
  displayName?: string;
}

/** An image that exists before the test starts, stored as `createImage` would store it. */
export interface SeedImage extends Omit<ImageCreateData, "groups"> {
  /** Names of the groups that hold the image's role. */
  groups?: string[];
}

export interface ImageCreateData {
  name: string;
  displayName?: string | null;
  description?: string | null;
  type?: string | null;
  url?: string | null;
  urlForGpu?: string | null;
  groupName?: string | null;
  global?: boolean | null;
  useImagePullSecret?: string | null;
  groups?: { connect?: { id: string }[] | null } | null;
}

export interface ImageUpdateData extends Omit<ImageCreateData, "name" | "groups"> {
  name?: string | null;
  groups?: { connect?: { id: string }[] | null; disconnect?: { id: string }[] | null } | null;
}

export type ImageMode = "SYSTEM_ONLY" | "GROUP_ONLY" | "ALL";

export interface ImageWhere {
  id?: string | null;
  name_contains?: string | null;
  displayName_contains?: string | null;
  description_contains?: string | null;
  type_contains?: string | null;
  groupName_contains?: string | null;
  search?: string | null;
}

export interface GroupWhere {
  id?: string | null;
  name_contains?: string | null;
  displayName_contains?: string | null;
  search?: string | null;
}

/** The fields of the `Image` resource's spec that the API reaches; absent ones are left out. */
interface ImageSpec {
  displayName?: string;
  description?: string;
  type?: string;
  url?: string;
  urlForGpu?: string;
  pullSecret?: string;
  groupName?: string;
}

/** An image's own fields as the API shows them; `global` and `groups` are looked up apart. */
export interface ImageRecord {
  id: string;
  name: string;
  displayName: string;
  description: string | null;
  type: string | null;
  url: string | null;
  urlForGpu: string | null;
  useImagePullSecret: string | null;
  groupName: string | null;
  isReady: boolean;
}

export interface GroupRecord {
  id: string;
  name: string;
  displayName: string | null;
}

/** Everything stored, for assertions: each image with its access. */
export interface PrimeHubState {
  images: (ImageRecord & { global: boolean; groups: string[] })[];
  groups: GroupRecord[];
}

export interface PrimeHubModel {
  images(mode?: ImageMode | null, where?: ImageWhere | null): ImageRecord[];
  image(id: string): ImageRecord | null;
  groups(where?: GroupWhere | null): GroupRecord[];
  group(id: string): GroupRecord | null;
  /** Whether the everyone group holds the image's role. */
  isGlobal(imageId: string): boolean;
  /** The groups holding the image's role, by name. */
  groupsOfImage(imageId: string): GroupRecord[];
  /** The images whose role the group holds itself, by name. */
  imagesOfGroup(groupId: string, mode?: ImageMode | null): ImageRecord[];
  createImage(data: ImageCreateData): ImageRecord;
  updateImage(id: string, data: ImageUpdateData): ImageRecord;
  deleteImage(id: string): ImageRecord;
  state(): PrimeHubState;
}

/** Kubernetes' rule for resource names (a DNS subdomain). */
const RESOURCE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const roleOf = (imageName: string) => `img:${imageName}`;
const byName = <T extends { name: string }>(a: T, b: T) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** An empty string counts as missing, as lodash's isEmpty does in PrimeHub. */
function present(value: string | null | undefined): value is string {
  return value != null && value !== "";
}

/** What PrimeHub stores as the two URLs: a GPU URL of its own only for `both`. */
function urls(
  url: string | null | undefined,
  urlForGpu: string | null | undefined,
  type: string,
): { url: string | null | undefined; urlForGpu: string | null | undefined } {
  return { url, urlForGpu: type === "both" ? urlForGpu || url : url };
}

/**
 * A JSON merge patch as the Kubernetes API applies it: a missing key keeps the value, null
 * removes it. A null on create is dropped too, by the resource's structural schema.
 */
function mergePatch(
  spec: ImageSpec,
  patch: Record<keyof ImageSpec, string | null | undefined>,
): ImageSpec {
  const given = Object.entries(patch).filter(([, value]) => value !== undefined);
  const merged = { ...spec, ...Object.fromEntries(given) } as Record<string, string | null>;
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
}

function record(name: string, spec: ImageSpec): ImageRecord {
  return {
    id: name,
    name,
    displayName: spec.displayName || name,
    description: spec.description ?? null,
    type: spec.type ?? null,
    url: spec.url ?? null,
    urlForGpu: spec.urlForGpu ?? null,
    useImagePullSecret: spec.pullSecret ?? null,
    groupName: spec.groupName ?? null,
    isReady: present(spec.url),
  };
}

function matches<T extends object>(row: T, where: object, searchFields: (keyof T)[]): boolean {
  for (const [key, value] of Object.entries(where) as [string, string | null | undefined][]) {
    if (value == null) continue;
    if (key === "id") {
      if ((row as { id: string }).id !== value) return false;
    } else if (key === "search") {
      const needle = value.toLowerCase();
      const found = searchFields.some((field) => {
        const text = row[field];
        return typeof text === "string" && text.toLowerCase().includes(needle);
      });
      if (value !== "" && !found) return false;
    } else if (key.endsWith("_contains")) {
      const text = (row as Record<string, unknown>)[key.slice(0, -"_contains".length)];
      if (typeof text !== "string" || text === "" || !text.includes(value)) return false;
    }
  }
  return true;
}

function inMode(image: ImageRecord, mode: ImageMode | null | undefined): boolean {
  if (mode === "SYSTEM_ONLY") return !present(image.groupName);
  if (mode === "GROUP_ONLY") return present(image.groupName);
  return true;
}

/** A PrimeHub holding the given groups and images. */
export function createPrimeHubModel(
  seed: { images?: SeedImage[]; groups?: SeedGroup[] } = {},
): PrimeHubModel {
  /** Kubernetes: Image resources by name. */
  const resources = new Map<string, ImageSpec>();
  /** Keycloak: the groups, everyone's apart. */
  const groups = new Map<string, GroupRecord>();
  /** Keycloak: realm roles, each with the ids of the groups it is mapped to. */
  const roles = new Map<string, Set<string>>();

  for (const group of seed.groups ?? []) {
    const id = group.id ?? randomUUID();
    groups.set(id, { id, name: group.name, displayName: group.displayName ?? null });
  }

  /** An image's role; every resource has one, as only createImage makes resources. */
  function roleFor(imageId: string): Set<string> {
    const role = roles.get(roleOf(imageId));
    if (!role) throw new Error(`the stand-in lost the role of image ${imageId}`);
    return role;
  }

  function mapRole(role: Set<string>, groupIds: { id: string }[]) {
    // PrimeHub sends these to Keycloak all at once: every known group is mapped even when
    // another one is refused.
    const unknown = groupIds.filter(({ id }) => !groups.has(id));
    for (const { id } of groupIds) if (groups.has(id)) role.add(id);
    if (unknown.length > 0) throw keycloakNotFound();
  }

  function unmapRole(role: Set<string>, groupIds: { id: string }[]) {
    const unknown = groupIds.filter(({ id }) => !groups.has(id));
    for (const { id } of groupIds) if (groups.has(id)) role.delete(id);
    if (unknown.length > 0) throw keycloakNotFound();
  }

  function createImage(data: ImageCreateData): ImageRecord {
    const role = roleOf(data.name);
    if (roles.has(role)) throw conflict();
    const mapped = new Set<string>();
    roles.set(role, mapped);
    // The role is made first; a name Kubernetes refuses leaves it behind, so trying again with
    // the same name is a conflict from then on.
    if (!RESOURCE_NAME.test(data.name) || data.name.length > 253) throw kubernetesRefused();

    const type = data.type || "both";
    const spec = mergePatch(
      {},
      {
        displayName: data.displayName || data.name,
        description: data.description,
        type,
        ...urls(data.url, data.urlForGpu, type),
        pullSecret: data.useImagePullSecret ?? "",
        groupName: data.groupName,
      },
    );
    resources.set(data.name, spec);

    if (data.global) mapped.add(EVERYONE_GROUP_ID);
    if (data.groups?.connect?.length) mapRole(mapped, data.groups.connect);
    return record(data.name, spec);
  }

  function updateImage(id: string, data: ImageUpdateData): ImageRecord {
    const spec = resources.get(id);
    if (!spec) throw notFound();

    // The request's own URLs, worked out as if the type were `both` when it is not given ...
    const requested = urls(data.url, data.urlForGpu, data.type || "both");
    let url: string | null | undefined;
    let urlForGpu: string | null | undefined;
    if (data.type != null) {
      // ... then, with a new type, filled in from the stored ones and worked out again ...
      ({ url, urlForGpu } = urls(
        requested.url || spec.url,
        requested.urlForGpu || spec.urlForGpu,
        data.type,
      ));
    } else {
      // ... or, without one, each kept unless given, the GPU URL following `url` unless `both`.
      url = present(requested.url) ? requested.url : spec.url;
      urlForGpu =
        spec.type !== "both"
          ? url
          : present(requested.urlForGpu)
            ? requested.urlForGpu
            : spec.urlForGpu;
    }
    const patched = mergePatch(spec, {
      displayName: data.displayName,
      description: data.description,
      type: data.type,
      url,
      urlForGpu,
      // Sent as null when missing, which the merge patch turns into a removal.
      pullSecret: data.useImagePullSecret ?? null,
      groupName: data.groupName ?? null,
    });
    resources.set(id, patched);

    // The patch above stays even when a group change below is refused.
    const role = roleFor(id);
    if (data.global !== undefined) {
      if (data.global) role.add(EVERYONE_GROUP_ID);
      else role.delete(EVERYONE_GROUP_ID);
    }
    // Disconnects run only once every connect has gone through.
    if (data.groups?.connect?.length) mapRole(role, data.groups.connect);
    if (data.groups?.disconnect?.length) unmapRole(role, data.groups.disconnect);
    return record(id, patched);
  }

  function deleteImage(id: string): ImageRecord {
    const spec = resources.get(id);
    if (!spec) throw notFound();
    roles.delete(roleOf(id));
    resources.delete(id);
    return record(id, spec);
  }

  function isGlobal(imageId: string): boolean {
    return roles.get(roleOf(imageId))?.has(EVERYONE_GROUP_ID) ?? false;
  }

  function groupsOfImage(imageId: string): GroupRecord[] {
    const mapped = roles.get(roleOf(imageId));
    return [...groups.values()]
      .filter((group) => mapped?.has(group.id))
      .sort(byName)
      .map((group) => ({ ...group }));
  }

  function allImages(): ImageRecord[] {
    return [...resources.entries()].map(([name, spec]) => record(name, spec)).sort(byName);
  }

  const model: PrimeHubModel = {
    images: (mode, where) =>
      allImages().filter(
        (image) =>
          inMode(image, mode) &&
          matches(image, where ?? {}, ["name", "displayName", "description", "type"]),
      ),
    image(id) {
      const spec = resources.get(id);
      return spec ? record(id, spec) : null;
    },
    groups(where) {
      // Asked for by id, PrimeHub looks that one group up and ignores the other filters.
      if (where?.id != null) {
        const group = groups.get(where.id);
        return group ? [{ ...group }] : [];
      }
      return [...groups.values()]
        .filter((group) => matches(group, where ?? {}, ["name", "displayName"]))
        .sort(byName)
        .map((group) => ({ ...group }));
    },
    group(id) {
      const group = groups.get(id);
      return group ? { ...group } : null;
    },
    isGlobal,
    groupsOfImage,
    imagesOfGroup: (groupId, mode) =>
      allImages().filter(
        (image) => roles.get(roleOf(image.name))?.has(groupId) && inMode(image, mode),
      ),
    createImage,
    updateImage,
    deleteImage,
    state: () => ({
      images: allImages().map((image) => ({
        ...image,
        global: isGlobal(image.id),
        groups: groupsOfImage(image.id).map((group) => group.name),
      })),
      groups: model.groups(),
    }),
  };

  for (const image of seed.images ?? []) {
    const connect = (image.groups ?? []).map((name) => {
      const group = [...groups.values()].find((candidate) => candidate.name === name);
      if (!group) throw new Error(`seed image ${image.name} names an unknown group ${name}`);
      return { id: group.id };
    });
    createImage({ ...image, groups: { connect } });
  }
  return model;
}
