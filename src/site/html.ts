/**
 * HTML from catalog data: every value is escaped where it goes (text, attribute), so a display
 * name or a description can never become markup or script. Pages are plain strings; the one
 * script and the one stylesheet are files of their own, so a Content-Security-Policy of 'self'
 * holds.
 */

/** Text content: `&`, `<`, `>` escaped. */
export function text(value: string | number | undefined): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A double-quoted attribute value. */
export function attr(value: string | number | undefined): string {
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A page: the shared head (stylesheet, script, policy), a header with the theme switch, the body. */
export function page(input: {
  title: string;
  /** From this page to the site root: "" or "../". */
  up: string;
  body: string;
  footer: string;
}): string {
  const { up } = input;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<meta name="color-scheme" content="light dark">
<title>${text(input.title)}</title>
<link rel="stylesheet" href="${up}assets/site.css">
<script src="${up}assets/site.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="home" href="${up}index.html">Image catalog</a>
<nav aria-label="Site"><a href="${up}groups/index.html">Groups</a></nav>
<button type="button" class="theme" id="theme" aria-label="Switch between light and dark theme" aria-pressed="false">Theme</button>
</header>
<main id="main">
${input.body}
</main>
<footer>${input.footer}</footer>
</body>
</html>
`;
}
