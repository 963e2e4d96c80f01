/**
 * The GitHub REST API (GITHUB_API_URL, through @actions/github's Octokit) as the ports the Action
 * needs: the pull request's comments.
 */
import type { CommentsPort } from "./comment.js";

/** The GitHub REST API (GITHUB_API_URL) as the comments port. */
export async function commentsPort(
  token: string,
  repository: string,
  number: number,
): Promise<CommentsPort> {
  const [owner = "", repo = ""] = repository.split("/");
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(token);
  const issue = { owner, repo, issue_number: number };
  return {
    async *list() {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...issue,
        per_page: 100,
      })) {
        yield page.data.map((item) => ({
          id: item.id,
          body: item.body ?? null,
          ...(item.user
            ? { author: { login: item.user.login, bot: item.user.type === "Bot" } }
            : {}),
        }));
      }
    },
    async whoami() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (error) {
        // An Actions or app token may not read /user: it writes as a bot.
        const status = (error as { status?: number }).status;
        if (status === 401 || status === 403 || status === 404) return undefined;
        throw error;
      }
    },
    async create(body) {
      const { data } = await octokit.rest.issues.createComment({ ...issue, body });
      return { id: data.id };
    },
    async update(id, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    },
    async remove(id) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: id });
    },
  };
}
