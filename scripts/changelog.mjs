// Writes CHANGELOG.md from the commit history, so it is never edited by hand and never disagrees
// with git: one section per release tag (vX.Y.Z, newest first) and the commits after the newest
// tag under "Unreleased", each section's commits listed by day. Merge commits and the commits that
// only rebuild dist/ are left out: they repeat what the commits they bring in already say.
//
//   node scripts/changelog.mjs                  # writes CHANGELOG.md
//   node scripts/changelog.mjs --notes v1.2.0   # prints that release's section (release notes)
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";

const ROOT = new URL("..", import.meta.url).pathname;
const FILE = join(ROOT, "CHANGELOG.md");
const SKIPPED = /^dist: rebuilt$/;

function git(...args) {
  return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" });
}

/** Release tags, newest first. */
function releaseTags() {
  return git("tag", "--list", "v[0-9]*.[0-9]*.[0-9]*", "--sort=-v:refname")
    .split("\n")
    .filter((tag) => /^v\d+\.\d+\.\d+$/.test(tag));
}

/** Commits in a revision range, newest first, as { hash, date, subject }. */
function commits(range) {
  const out = git("log", "--no-merges", "--date=short", "--format=%h%x1f%ad%x1f%s", range);
  const found = [];
  for (const line of out.split("\n")) {
    if (!line) continue;
    const [hash, date, subject] = line.split("\x1f");
    if (!SKIPPED.test(subject)) found.push({ hash, date, subject });
  }
  return found;
}

/** The sections of the changelog, newest first: { title, date, commits }. */
function sections() {
  const tags = releaseTags();
  const found = [];
  const unreleased = commits(tags.length > 0 ? `${tags[0]}..HEAD` : "HEAD");
  if (unreleased.length > 0) found.push({ title: "Unreleased", commits: unreleased });
  tags.forEach((tag, index) => {
    const older = tags[index + 1];
    found.push({
      title: tag,
      date: git("log", "-1", "--date=short", "--format=%ad", tag).trim(),
      commits: commits(older === undefined ? tag : `${older}..${tag}`),
    });
  });
  return found;
}

/** A section as markdown: its heading, then each day's commits, newest day first. */
function render(section) {
  const lines = [`## ${section.date ? `${section.title} (${section.date})` : section.title}`, ""];
  let day;
  for (const commit of section.commits) {
    if (commit.date !== day) {
      if (day !== undefined) lines.push("");
      day = commit.date;
      lines.push(`### ${day}`, "");
    }
    lines.push(`- ${escape(commit.subject)} (${commit.hash})`);
  }
  lines.push("");
  return lines.join("\n");
}

/** Commit subjects are plain text: keep markdown from reading markup into them. */
function escape(subject) {
  return subject.replace(/[\\`*_<>[\]#|]/g, (char) => `\\${char}`);
}

async function formatted(text) {
  const config = (await resolveConfig(FILE)) ?? {};
  return format(text, { ...config, parser: "markdown" });
}

const [flag, tag] = process.argv.slice(2);
if (flag === "--notes") {
  const section = sections().find((entry) => entry.title === tag);
  if (!section) {
    console.error(`no release ${tag ?? "(none given)"}: tag it first (git tag ${tag ?? "vX.Y.Z"})`);
    process.exit(1);
  }
  process.stdout.write(await formatted(render(section).replace(/^## .*\n\n/, "")));
} else if (flag === undefined) {
  const header =
    "# Changelog\n\nGenerated from the commit history by `node scripts/changelog.mjs`; do not edit by hand.\n\n";
  writeFileSync(FILE, await formatted(header + sections().map(render).join("\n")));
} else {
  console.error("usage: node scripts/changelog.mjs [--notes vX.Y.Z]");
  process.exit(2);
}
