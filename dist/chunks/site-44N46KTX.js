#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  referrersTag
} from "./chunk-WMG42F3S.js";
import "./chunk-UZLBU4PL.js";
import {
  formatBytes
} from "./chunk-ALID3MX5.js";
import "./chunk-FXXF4CZO.js";
import "./chunk-SCQLJQHS.js";
import "./chunk-5A2P77KC.js";
import "./chunk-BQA5KWHH.js";
import "./chunk-MV6IGXHU.js";
import "./chunk-54TCZN6E.js";
import "./chunk-PRF7RUCG.js";
import "./chunk-V4OKTXNJ.js";
import "./chunk-GDD2ELJJ.js";
import "./chunk-XML4HPHG.js";

// raw-text:templates/site/site.css
var site_default = '/* The imagesmith catalog site: one stylesheet, no web fonts, light and dark. */\n:root {\n  color-scheme: light;\n  --bg: #ffffff;\n  --fg: #1b1f24;\n  --muted: #57606a;\n  --line: #d0d7de;\n  --panel: #f6f8fa;\n  --link: #0550ae;\n  --warn: #9a6700;\n  --warn-bg: #fff8c5;\n  --focus: #0969da;\n}\n:root[data-theme="dark"] {\n  color-scheme: dark;\n  --bg: #0d1117;\n  --fg: #e6edf3;\n  --muted: #9da7b3;\n  --line: #30363d;\n  --panel: #161b22;\n  --link: #58a6ff;\n  --warn: #e3b341;\n  --warn-bg: #3b2e05;\n  --focus: #58a6ff;\n}\n@media (prefers-color-scheme: dark) {\n  :root:not([data-theme="light"]) {\n    color-scheme: dark;\n    --bg: #0d1117;\n    --fg: #e6edf3;\n    --muted: #9da7b3;\n    --line: #30363d;\n    --panel: #161b22;\n    --link: #58a6ff;\n    --warn: #e3b341;\n    --warn-bg: #3b2e05;\n    --focus: #58a6ff;\n  }\n}\n* {\n  box-sizing: border-box;\n}\nbody {\n  margin: 0;\n  background: var(--bg);\n  color: var(--fg);\n  font:\n    16px/1.5 system-ui,\n    -apple-system,\n    "Segoe UI",\n    Roboto,\n    "Noto Sans",\n    sans-serif;\n}\na {\n  color: var(--link);\n}\n:focus-visible {\n  outline: 3px solid var(--focus);\n  outline-offset: 2px;\n}\ncode,\npre {\n  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;\n  font-size: 0.9em;\n}\n.skip {\n  position: absolute;\n  left: -999px;\n}\n.skip:focus {\n  left: 1rem;\n  top: 0.5rem;\n  background: var(--bg);\n  padding: 0.25rem 0.5rem;\n  z-index: 1;\n}\n.top {\n  display: flex;\n  gap: 1rem;\n  align-items: center;\n  padding: 0.75rem 1.25rem;\n  border-bottom: 1px solid var(--line);\n  background: var(--panel);\n}\n.top .home {\n  font-weight: 600;\n  color: var(--fg);\n  text-decoration: none;\n}\n.top nav {\n  flex: 1;\n}\nbutton {\n  font: inherit;\n  color: var(--fg);\n  background: var(--bg);\n  border: 1px solid var(--line);\n  border-radius: 6px;\n  padding: 0.2rem 0.7rem;\n  cursor: pointer;\n}\nmain {\n  padding: 1rem 1.25rem 2rem;\n  max-width: 80rem;\n}\nfooter {\n  padding: 1rem 1.25rem;\n  color: var(--muted);\n  border-top: 1px solid var(--line);\n  font-size: 0.875rem;\n}\nh1 {\n  font-size: 1.6rem;\n  margin: 0.5rem 0;\n}\n.filters {\n  display: flex;\n  flex-wrap: wrap;\n  gap: 0.5rem 1rem;\n  align-items: center;\n  margin: 1rem 0 0.5rem;\n}\n.filters .field {\n  display: inline-flex;\n  gap: 0.4rem;\n  align-items: center;\n}\n.nowrap {\n  white-space: nowrap;\n}\n.filters label {\n  font-weight: 600;\n  font-size: 0.9rem;\n}\ninput,\nselect {\n  font: inherit;\n  color: var(--fg);\n  background: var(--bg);\n  border: 1px solid var(--line);\n  border-radius: 6px;\n  padding: 0.25rem 0.5rem;\n}\n#count {\n  color: var(--muted);\n}\ntable {\n  border-collapse: collapse;\n  width: 100%;\n}\ncaption {\n  text-align: left;\n  color: var(--muted);\n  padding: 0.25rem 0;\n}\nth,\ntd {\n  text-align: left;\n  vertical-align: top;\n  padding: 0.45rem 0.6rem;\n  border-bottom: 1px solid var(--line);\n}\nth {\n  background: var(--panel);\n}\n.desc {\n  color: var(--muted);\n  font-size: 0.9rem;\n}\n.marker {\n  display: inline-block;\n  margin-left: 0.4rem;\n  padding: 0 0.3rem;\n  border-radius: 4px;\n  color: var(--warn);\n  background: var(--warn-bg);\n}\n.facts,\n.packages {\n  display: grid;\n  grid-template-columns: max-content 1fr;\n  gap: 0.25rem 1rem;\n}\n.facts dt,\n.packages dt {\n  font-weight: 600;\n}\n.facts dd,\n.packages dd {\n  margin: 0;\n}\n.packages code {\n  margin-right: 0.5rem;\n}\n.pull {\n  display: flex;\n  flex-wrap: wrap;\n  gap: 0.5rem;\n  align-items: center;\n  margin: 0.4rem 0;\n}\n.pull-label {\n  font-weight: 600;\n  min-width: 3rem;\n}\n.pull code {\n  background: var(--panel);\n  border: 1px solid var(--line);\n  border-radius: 6px;\n  padding: 0.2rem 0.4rem;\n  overflow-wrap: anywhere;\n}\npre.dockerfile {\n  background: var(--panel);\n  border: 1px solid var(--line);\n  border-radius: 6px;\n  padding: 0.75rem;\n  overflow-x: auto;\n}\n.error {\n  color: var(--warn);\n}\n[hidden] {\n  display: none !important;\n}\n@media (max-width: 720px) {\n  main {\n    padding: 0.75rem;\n  }\n  #images thead {\n    position: absolute;\n    left: -999px;\n  }\n  #images tr {\n    display: block;\n    border-bottom: 1px solid var(--line);\n    padding: 0.4rem 0;\n  }\n  #images td {\n    display: inline-block;\n    border: 0;\n    padding: 0.1rem 0.6rem 0.1rem 0;\n  }\n  #images td:first-child {\n    display: block;\n  }\n}\n';

// raw-text:templates/site/site.js
var site_default2 = `// The imagesmith catalog site's one script: the theme switch, the list's search and filters (kept
// in the URL's fragment, so a filtered list can be shared, also from file://), and copy buttons.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "imagesmith-theme";
  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }
  var theme = stored();
  if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);

  function isDark() {
    var set = root.getAttribute("data-theme");
    if (set) return set === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme");
    if (button) {
      button.setAttribute("aria-pressed", String(isDark()));
      button.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        button.setAttribute("aria-pressed", String(next === "dark"));
        try {
          localStorage.setItem(KEY, next);
        } catch (e) {
          // No storage (a private window, file:// in some browsers): the switch lasts this page.
        }
      });
    }
    filters();
    copies();
  });

  function filters() {
    var table = document.getElementById("images");
    var search = document.getElementById("search");
    if (!table || !search) return;
    var controls = {
      q: search,
      group: document.getElementById("group"),
      type: document.getElementById("type"),
      status: document.getElementById("status"),
      scope: document.getElementById("scope"),
    };
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.getElementById("count");

    function read() {
      var params = new URLSearchParams(location.hash.slice(1));
      Object.keys(controls).forEach(function (key) {
        var control = controls[key];
        if (!control) return;
        var value = params.get(key) || "";
        if (control.tagName === "SELECT") {
          var known = Array.prototype.some.call(control.options, function (option) {
            return option.value === value;
          });
          control.value = known ? value : "";
        } else control.value = value;
      });
    }

    function matches(row, wanted) {
      var data = row.dataset;
      if (wanted.q) {
        var words = wanted.q.toLowerCase().split(/\\s+/).filter(Boolean);
        for (var i = 0; i < words.length; i++)
          if (data.text.indexOf(words[i]) < 0 && data.groups.indexOf(words[i]) < 0) return false;
      }
      if (wanted.group && data.global !== "true" && data.groups.split(" ").indexOf(wanted.group) < 0)
        return false;
      if (wanted.type && data.type !== wanted.type) return false;
      if (wanted.status === "not-ready" && data.status === "ready") return false;
      if (wanted.status && wanted.status !== "not-ready" && data.status !== wanted.status)
        return false;
      if (wanted.scope && data.scope !== wanted.scope) return false;
      return true;
    }

    function apply(write) {
      var wanted = {};
      var params = new URLSearchParams();
      Object.keys(controls).forEach(function (key) {
        var control = controls[key];
        var value = control ? control.value.trim() : "";
        wanted[key] = value;
        if (value) params.set(key, value);
      });
      var shown = 0;
      rows.forEach(function (row) {
        var visible = matches(row, wanted);
        row.hidden = !visible;
        if (visible) shown++;
      });
      if (count) count.textContent = shown + " of " + rows.length + " images shown";
      if (write) {
        var hash = params.toString();
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      }
    }

    read();
    apply(false);
    Object.keys(controls).forEach(function (key) {
      var control = controls[key];
      if (control)
        control.addEventListener(control.tagName === "SELECT" ? "change" : "input", function () {
          apply(true);
        });
    });
    window.addEventListener("hashchange", function () {
      read();
      apply(false);
    });
  }

  function copies() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (!target) return;
        var value = target.textContent;
        function done(ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          setTimeout(function () {
            button.textContent = "Copy";
          }, 2000);
        }
        function fallback() {
          var range = document.createRange();
          range.selectNodeContents(target);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          var ok = false;
          try {
            ok = document.execCommand("copy");
          } catch (e) {
            ok = false;
          }
          done(ok);
        }
        if (navigator.clipboard && window.isSecureContext)
          navigator.clipboard.writeText(value).then(function () {
            done(true);
          }, fallback);
        else fallback();
      });
    });
  }
})();
`;

// src/site/html.ts
function text(value) {
  return String(value ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function attr(value) {
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
function page(input) {
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

// src/site/pages.ts
var NOT_READY = {
  building: "not ready: building",
  failed: "not ready: last build failed",
  cancelled: "not ready: last build cancelled"
};
function footer(data) {
  const { source } = data.catalog;
  const commit = source.commit ? ` at commit <code>${text(source.commit.slice(0, 12))}</code>` : "";
  const published = data.catalog.generatedAt ? `, published ${text(data.catalog.generatedAt.slice(0, 16).replace("T", " "))} UTC` : "";
  return `The catalog from <code>${text(data.from)}</code>${commit}${published}. Made by imagesmith on ${text(data.generatedAt.slice(0, 16).replace("T", " "))} UTC.`;
}
function marker(image) {
  if (image.status === "ready") return "";
  const label = NOT_READY[image.status];
  return `<span class="marker" role="img" aria-label="${attr(label)}" title="${attr(label)}">\u26A0</span>`;
}
function statusText(image) {
  if (image.status === "ready") return "ready";
  return image.url ? `${image.status} (serving the last good build)` : image.status;
}
function access(image, up) {
  if (image.global) return "Everyone";
  if (image.groups.length === 0) return "Nobody";
  return image.groups.map((group) => `<a href="${up}groups/${attr(group)}.html">${text(group)}</a>`).join(", ");
}
function scope(image) {
  return image.system ? "System" : `Group: ${text(image.groupName ?? "")}`;
}
function builtOn(image) {
  return image.build?.builtAt?.slice(0, 10) ?? "";
}
function size(image) {
  const bytes = image.build?.size?.compressed ?? image.build?.size?.unpacked;
  return bytes === void 0 ? "" : formatBytes(bytes);
}
function row(image, up) {
  const search = [image.name, image.displayName, image.description ?? ""].join(" ").toLowerCase();
  return `<tr data-text="${attr(search)}" data-groups="${attr(image.groups.join(" "))}" data-global="${image.global}" data-type="${image.type}" data-status="${image.status}" data-scope="${image.system ? "system" : "group"}">
<td><a href="${up}images/${attr(image.name)}.html">${text(image.displayName)}</a>${marker(image)}${image.description ? `<div class="desc">${text(image.description)}</div>` : ""}</td>
<td>${image.type}</td><td>${scope(image)}</td><td>${access(image, up)}</td><td>${statusText(image)}</td><td class="nowrap">${size(image)}</td><td class="nowrap">${builtOn(image)}</td>
</tr>`;
}
function table(images, caption, up) {
  return `<table id="images">
<caption>${text(caption)}</caption>
<thead><tr><th scope="col">Image</th><th scope="col">Type</th><th scope="col">Scope</th><th scope="col">Who may use it</th><th scope="col">Status</th><th scope="col">Size</th><th scope="col">Built</th></tr></thead>
<tbody>
${images.map((image) => row(image, up)).join("\n")}
</tbody>
</table>`;
}
function select(id, label, options) {
  return `<span class="field"><label for="${id}">${text(label)}</label><select id="${id}">${options.map(([value, name]) => `<option value="${attr(value)}">${text(name)}</option>`).join("")}</select></span>`;
}
function listPage(data) {
  const { images } = data.catalog;
  const notReady = images.filter((image) => image.status !== "ready").length;
  const body = `<h1>Images</h1>
<p>${images.length} images${notReady > 0 ? `, ${notReady} not ready` : ""}. An image marked \u26A0 is not ready: do not pick it until it is.</p>
<form class="filters" role="search" aria-label="Filter images">
<span class="field"><label for="search">Search</label><input type="search" id="search" placeholder="name, description or group" autocomplete="off"></span>
${select("group", "Group", [["", "All groups"], ...data.groups.map((g) => [g, g])])}
${select("type", "Type", [
    ["", "All types"],
    ["cpu", "cpu"],
    ["gpu", "gpu"],
    ["universal", "universal"]
  ])}
${select("status", "Status", [
    ["", "Any status"],
    ["ready", "ready"],
    ["not-ready", "not ready"],
    ["building", "building"],
    ["failed", "failed"],
    ["cancelled", "cancelled"]
  ])}
${select("scope", "Scope", [
    ["", "System and group"],
    ["system", "System"],
    ["group", "Group"]
  ])}
</form>
<p id="count" aria-live="polite">${images.length} of ${images.length} images shown</p>
${table(images, "Every image of the catalog", "")}`;
  return page({ title: "Image catalog", up: "", body, footer: footer(data) });
}
function groupsPage(data) {
  const items = data.groups.map((group) => {
    const count = usableBy(data.catalog, group).length;
    return `<li><a href="${attr(group)}.html">${text(group)}</a>: ${count} image${count === 1 ? "" : "s"}</li>`;
  });
  const body = `<h1>Groups</h1>
${items.length > 0 ? `<ul class="groups">${items.join("\n")}</ul>` : "<p>No group is named in the catalog.</p>"}`;
  return page({ title: "Groups \u2014 image catalog", up: "../", body, footer: footer(data) });
}
function usableBy(catalog, group) {
  return catalog.images.filter((image) => image.global || image.groups.includes(group));
}
function groupPage(data, group) {
  const images = usableBy(data.catalog, group);
  const body = `<h1>What ${text(group)} can use</h1>
<p>${images.length} image${images.length === 1 ? "" : "s"}: the ones every group may use, and those given to ${text(group)}.</p>
${table(images, `Images group ${group} may use`, "../")}`;
  return page({ title: `${group} \u2014 image catalog`, up: "../", body, footer: footer(data) });
}
function copyable(id, label, value) {
  return `<div class="pull"><span class="pull-label" id="${id}-label">${text(label)}</span><code id="${id}">${text(value)}</code><button type="button" data-copy="${id}" aria-describedby="${id}-label">Copy</button></div>`;
}
function packageLists(lists) {
  const parts = ["apt", "conda", "pip"].filter((manager) => lists[manager].length > 0).map(
    (manager) => `<dt>${manager}</dt><dd>${lists[manager].map((entry) => `<code>${text(entry)}</code>`).join(" ")}</dd>`
  );
  return parts.length > 0 ? `<dl class="packages">${parts.join("")}</dl>` : "<p>No packages.</p>";
}
function installedSection(image, installed) {
  const counts = image.build?.installed;
  if (!counts && !installed) return "";
  const summary = counts ? `${counts.apt} apt, ${counts.pip} pip and ${counts.conda} conda packages installed` : `${installed?.length ?? 0} packages installed`;
  if (!installed || installed.length === 0) return `<h3>As installed</h3><p>${summary}.</p>`;
  const rows = installed.map(
    (pkg) => `<tr><td>${pkg.manager}</td><td>${text(pkg.name)}</td><td>${text(pkg.version)}</td></tr>`
  ).join("\n");
  return `<h3>As installed</h3>
<details><summary>${summary}</summary>
<table class="installed"><caption>Installed packages, from the image's SBOM</caption><thead><tr><th scope="col">Manager</th><th scope="col">Package</th><th scope="col">Version</th></tr></thead><tbody>
${rows}
</tbody></table></details>`;
}
function logLink(record) {
  if (record.logUrl) return ` <a href="${attr(record.logUrl)}">build log</a>`;
  if (record.log) return ` log: <code>${text(record.log)}</code>`;
  return "";
}
function historySection(image) {
  const items = [];
  const build = image.build;
  if (build) {
    items.push(
      `<li>Served: recipe <code>${text(build.recipeHash)}</code>${build.builtAt ? `, built ${text(build.builtAt.replace("T", " ").slice(0, 16))} UTC` : ""}.${logLink(build)}</li>`
    );
  }
  const attempt = image.attempt;
  if (attempt) {
    items.push(
      `<li class="attempt">Last attempt: <strong>${attempt.status}</strong>, recipe <code>${text(attempt.recipeHash)}</code>, ${text(attempt.at.replace("T", " ").slice(0, 16))} UTC${attempt.error ? `: <span class="error">${text(attempt.error.split("\n")[0])}</span>` : ""}.${logLink(attempt)}</li>`
    );
  }
  if (items.length === 0) return "";
  return `<h2>Build history</h2><ul class="history">${items.join("\n")}</ul>`;
}
function imagePage(data, image) {
  const up = "../";
  const parts = [];
  parts.push(
    `<h1>${text(image.displayName)}${marker(image)}</h1>`,
    image.description ? `<p class="lead">${text(image.description)}</p>` : "",
    `<dl class="facts"><dt>Status</dt><dd>${statusText(image)}${image.message ? `: ${text(image.message)}` : ""}</dd><dt>Type</dt><dd>${image.type}</dd><dt>Scope</dt><dd>${scope(image)}</dd><dt>Who may use it</dt><dd>${access(image, up)}</dd>${size(image) ? `<dt>Size</dt><dd>${sizeDetail(image)}</dd>` : ""}</dl>`
  );
  parts.push("<h2>Pull</h2>");
  if (image.url) {
    parts.push(copyable("url-cpu", image.type === "cpu" ? "Image" : "CPU", image.url));
    if (image.type !== "cpu" && image.urlForGpu)
      parts.push(copyable("url-gpu", "GPU", image.urlForGpu));
  } else parts.push("<p>Nothing to pull yet: it has never been built successfully.</p>");
  if (image.pullSecret)
    parts.push(`<p>Pulled with the secret <code>${text(image.pullSecret)}</code>.</p>`);
  if (image.from) {
    parts.push(
      "<h2>Source</h2>",
      `<p>An existing image: <code>${text(image.from.url)}</code>${image.from.urlForGpu ? `, for GPUs <code>${text(image.from.urlForGpu)}</code>` : ""}.</p>`
    );
  }
  const build = image.build;
  if (build) {
    const parent = build.baseImage.startsWith("image:") ? build.baseImage.slice(6) : void 0;
    const base = parent ? `<a href="${attr(parent)}.html">${text(build.baseImage)}</a>` : `<code>${text(build.baseImage)}</code>`;
    parts.push(
      "<h2>Built from</h2>",
      `<p>Base: ${base}${build.baseDigest?.startsWith("sha256:") ? ` pinned to <code>${text(build.baseDigest)}</code>` : ""}${build.baseUser ? `, running as <code>${text(build.baseUser)}</code>` : ""}.</p>`,
      "<h3>As declared</h3>",
      packageLists(build.packages),
      installedSection(image, data.installed.get(image.name))
    );
    if (build.tests?.length)
      parts.push(
        "<h3>Tests it passed</h3>",
        `<ul>${build.tests.map((test) => `<li><code>${text(test)}</code></li>`).join("")}</ul>`
      );
    const recipe = data.recipes.get(image.name);
    if (recipe)
      parts.push(
        "<h2>Dockerfile</h2>",
        `<pre class="dockerfile" tabindex="0" aria-label="The Dockerfile of the served build"><code>${text(recipe)}</code></pre>`
      );
    if (build.sbom && image.url) {
      const repository = image.url.slice(0, image.url.indexOf("@"));
      const digest = image.url.slice(image.url.indexOf("@") + 1);
      parts.push(
        "<h2>SBOM</h2>",
        `<p>A CycloneDX SBOM <code>${text(build.sbom)}</code> is attached to the image in its registry: its referrers, or the tag <code>${text(`${repository}:${referrersTag(digest)}`)}</code>.</p>`
      );
    }
  }
  parts.push(historySection(image));
  return page({
    title: `${image.displayName} \u2014 image catalog`,
    up,
    body: parts.filter(Boolean).join("\n"),
    footer: footer(data)
  });
}
function sizeDetail(image) {
  const bytes = image.build?.size;
  if (!bytes) return "";
  const parts = [];
  if (bytes.compressed !== void 0) parts.push(`${formatBytes(bytes.compressed)} to pull`);
  if (bytes.unpacked !== void 0) parts.push(`${formatBytes(bytes.unpacked)} unpacked`);
  return parts.join(", ");
}

// src/site/index.ts
function renderSite(input) {
  const named = new Set(input.groups ?? []);
  for (const image of input.catalog.images) for (const group of image.groups) named.add(group);
  const data = {
    catalog: input.catalog,
    groups: [...named].sort(),
    recipes: input.recipes ?? /* @__PURE__ */ new Map(),
    installed: input.installed ?? /* @__PURE__ */ new Map(),
    from: input.from,
    generatedAt: input.now.toISOString()
  };
  const files = /* @__PURE__ */ new Map([
    ["index.html", listPage(data)],
    ["groups/index.html", groupsPage(data)],
    ["assets/site.css", site_default],
    ["assets/site.js", site_default2],
    // GitHub Pages runs Jekyll on a site without it, which would hide nothing here but costs time.
    [".nojekyll", ""]
  ]);
  for (const group of data.groups) files.set(`groups/${group}.html`, groupPage(data, group));
  for (const image of input.catalog.images)
    files.set(`images/${image.name}.html`, imagePage(data, image));
  return files;
}
export {
  NOT_READY,
  renderSite,
  usableBy
};
