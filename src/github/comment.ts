/**
 * The plan on a pull request: one comment, found again by a hidden marker and edited in place on
 * every push, so the conversation holds one current plan, never a stack of stale ones.
 */

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** A comment as the GitHub API lists it. */
export interface ListedComment {
  id: number;
  body?: string | null;
  /** Who wrote it: `bot` for an app or Actions token (github-actions[bot]). */
  author?: { login: string; bot: boolean };
}

/** The pull request's comments, as the GitHub API gives them. */
export interface CommentsPort {
  /** Every comment, oldest first, page by page. */
  list(): AsyncIterable<ListedComment[]>;
  /**
   * The login the token writes as, or undefined when the token cannot say (an Actions or app
   * token: those write as a bot).
   */
  whoami(): Promise<string | undefined>;
  create(body: string): Promise<{ id: number }>;
  update(id: number, body: string): Promise<void>;
  remove(id: number): Promise<void>;
}

/** The hidden line that marks our comment; the catalog folder keeps two catalogs of one repository apart. */
export function planMarker(root: string): string {
  return `<!-- imagesmith:plan root=${root.replace(/-->/g, "")} -->`;
}

export interface UpsertResult {
  action: "created" | "updated" | "unchanged";
  id: number;
}

/**
 * Creates the marked comment, or edits the one already there. Duplicates (two runs that raced to
 * create) are deleted, so the next push leaves exactly one. Only comments the token itself wrote
 * count: one a person wrote is never edited or deleted, whatever its first line says.
 */
export async function upsertComment(
  port: CommentsPort,
  marker: string,
  text: string,
): Promise<UpsertResult> {
  const body = `${marker}\n${text}`;
  const marked: (ListedComment & { body: string })[] = [];
  for await (const page of port.list()) {
    for (const comment of page) {
      if (comment.body?.startsWith(marker)) marked.push({ ...comment, body: comment.body });
    }
  }
  // An Actions or app token writes as a bot; a personal token as its user, asked only when needed.
  let ours = marked.filter((comment) => comment.author?.bot);
  if (ours.length === 0 && marked.length > 0) {
    const login = await port.whoami();
    ours = marked.filter((comment) => login !== undefined && comment.author?.login === login);
  }
  const [first, ...extra] = ours;
  for (const duplicate of extra) await port.remove(duplicate.id);
  if (first === undefined) return { action: "created", id: (await port.create(body)).id };
  if (first.body === body) return { action: "unchanged", id: first.id };
  await port.update(first.id, body);
  return { action: "updated", id: first.id };
}
