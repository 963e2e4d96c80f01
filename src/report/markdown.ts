/**
 * Markdown from text a pull request controls (file names, messages, package lists, build errors):
 * escaped so it renders as the text it is, never as markup, HTML, a mention or a broken table.
 */

/** Text in a paragraph, list item or table cell: markdown and HTML punctuation escaped, on one line. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/([\\`*_{}[\]()<>#+!|~@&])/g, "\\$1");
}

/**
 * Text as inline code: a backtick fence longer than any run of backticks inside, so the code span
 * cannot be closed early; pipes escaped for tables (GitHub reads them even inside code).
 */
export function inlineCode(text: string): string {
  const clean = oneLine(text).replace(/\|/g, "\\|");
  const runs = clean.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((run) => run.length)) + 1);
  const padded = clean.startsWith("`") || clean.endsWith("`") ? ` ${clean} ` : clean;
  return `${fence}${padded}${fence}`;
}

/** A fenced code block whose fence no line of `content` can close. */
export function fencedBlock(content: string, info = ""): string {
  const runs = content.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(2, ...runs.map((run) => run.length)) + 1);
  return `${fence}${info}\n${content}\n${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
}
