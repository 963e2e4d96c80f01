#!/usr/bin/env node
import { createRequire as __imagesmithCreateRequire } from 'node:module';
const require = __imagesmithCreateRequire(import.meta.url);
import {
  require_tunnel,
  require_undici
} from "./chunks/chunk-BYLN4I7S.js";
import {
  publishedLine
} from "./chunks/chunk-J3N4PR3I.js";
import {
  DEFAULT_MAX_UNITS,
  buildsInNamespace,
  cancelOnSignals,
  cancelledUnpublished,
  cancelling,
  changedImages,
  doorPorts,
  formatMatrix,
  formatProblem,
  formatValidationMarkdown,
  hasChanges,
  isEntryPoint,
  problemCounts,
  pushTargetFrom,
  rerunInBuildahNamespace,
  validLine
} from "./chunks/chunk-ZYLYE22U.js";
import "./chunks/chunk-YCP7WCHU.js";
import {
  escapeMarkdown,
  inlineCode
} from "./chunks/chunk-MK5LT3LH.js";
import {
  WORK_DIR,
  doctor,
  plan,
  publish,
  resultFileFor,
  runAll,
  site,
  syncPrimeHub,
  validate,
  verify
} from "./chunks/chunk-UAOCSEVF.js";
import "./chunks/chunk-GTKEN5HG.js";
import "./chunks/chunk-B6HO2RR2.js";
import "./chunks/chunk-IBEICT4M.js";
import "./chunks/chunk-SCQLJQHS.js";
import {
  pinReference
} from "./chunks/chunk-EESE7KYM.js";
import "./chunks/chunk-5A2P77KC.js";
import "./chunks/chunk-BQA5KWHH.js";
import "./chunks/chunk-MV6IGXHU.js";
import "./chunks/chunk-T4E4HH4Z.js";
import {
  UsageError,
  writeFileAtomic
} from "./chunks/chunk-TQMSZ7SH.js";
import "./chunks/chunk-54TCZN6E.js";
import "./chunks/chunk-PRF7RUCG.js";
import "./chunks/chunk-GDD2ELJJ.js";
import {
  __toESM
} from "./chunks/chunk-XML4HPHG.js";

// src/action.ts
import { readFileSync } from "node:fs";
import { join as join3, resolve } from "node:path";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/http-client/lib/index.js
var tunnel = __toESM(require_tunnel(), 1);
var import_undici = __toESM(require_undici(), 1);
var HttpCodes;
(function(HttpCodes2) {
  HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
  HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
  HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
  HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
  HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
  HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
  HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
  HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
  HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
  HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
  HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
  HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
  HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
  HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
  HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
  HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
  HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
  HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
  HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
  HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
  HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
  HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
  HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
  HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
  HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
  HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
  HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function(Headers2) {
  Headers2["Accept"] = "accept";
  Headers2["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function(MediaTypes2) {
  MediaTypes2["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
var HttpRedirectCodes = [
  HttpCodes.MovedPermanently,
  HttpCodes.ResourceMoved,
  HttpCodes.SeeOther,
  HttpCodes.TemporaryRedirect,
  HttpCodes.PermanentRedirect
];
var HttpResponseRetryCodes = [
  HttpCodes.BadGateway,
  HttpCodes.ServiceUnavailable,
  HttpCodes.GatewayTimeout
];

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}

// src/github/event.ts
var PUBLISHING_EVENTS = /* @__PURE__ */ new Set(["push", "workflow_dispatch", "schedule"]);
function eventPolicy(info3) {
  const { eventName, payload } = info3;
  if (!eventName)
    return { mayPublish: false, why: "GITHUB_EVENT_NAME is not set: this is not a workflow run" };
  const pull = record(payload.pull_request);
  if (pull) {
    const number = typeof pull.number === "number" ? pull.number : Number(payload.number);
    const head = record(record(pull.head)?.repo)?.full_name;
    const headSha = record(pull.head)?.sha;
    const base = record(record(pull.base)?.repo)?.full_name ?? info3.repository;
    const fork = typeof head !== "string" || head !== base;
    return {
      pullRequest: { number, fork, ...typeof headSha === "string" ? { headSha } : {} },
      mayPublish: false,
      why: fork ? `pull request #${number} comes from a fork (${typeof head === "string" ? head : "a deleted repository"}): it never pushes or publishes; images are built when it is merged` : `pull request #${number} only plans: images are built and published when it is merged`
    };
  }
  if (!PUBLISHING_EVENTS.has(eventName)) {
    return {
      mayPublish: false,
      why: `a ${eventName} event never pushes or publishes: only push, workflow_dispatch and schedule on the default branch do`
    };
  }
  const defaultBranch = record(payload.repository)?.default_branch;
  if (eventName === "schedule" && typeof defaultBranch !== "string")
    return { mayPublish: true, why: "" };
  if (typeof defaultBranch !== "string") {
    return {
      mayPublish: false,
      why: `the ${eventName} event does not name the repository's default branch, so this run cannot tell it is on it`
    };
  }
  if (info3.ref !== `refs/heads/${defaultBranch}`) {
    return {
      mayPublish: false,
      why: `${info3.ref ?? "this ref"} is not the default branch (${defaultBranch}): only ${defaultBranch} pushes and publishes`
    };
  }
  return { mayPublish: true, why: "" };
}
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : void 0;
}

// src/github/report.ts
import { readFile } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/report/summary.ts
function pinnedReferences(result) {
  const pinned = {};
  if (result.catalog) {
    for (const image of result.catalog.images) if (image.url) pinned[image.name] = image.url;
    return pinned;
  }
  const refs = new Map((result.plan?.images ?? []).map((entry) => [entry.name, entry.ref]));
  for (const outcome of result.outcomes ?? []) {
    const ref = refs.get(outcome.name);
    if (outcome.state === "done" && outcome.digest && ref)
      pinned[outcome.name] = pinReference(ref, outcome.digest);
  }
  return pinned;
}
function catalogMarkdown(catalog) {
  if (!catalog) return "";
  const rows = catalog.images.map(
    (image) => `| ${image.name} | ${image.status} | ${image.global ? "every group" : image.groups.join(", ") || "nobody"} | ${image.url ? inlineCode(image.url) : ""} |`
  );
  return [
    "## imagesmith catalog",
    "",
    "| image | status | access | url |",
    "| --- | --- | --- | --- |",
    ...rows,
    ""
  ].join("\n");
}
function buildMarkdown(result) {
  const outcomes = result.outcomes ?? [];
  if (outcomes.length === 0) return "## imagesmith build\n\nNothing to build.\n";
  return [
    "## imagesmith build",
    "",
    "| image | result | seconds | digest |",
    "| --- | --- | --- | --- |",
    ...outcomes.map(
      (outcome) => `| ${outcome.name} | ${outcome.state}${outcome.error || outcome.reason ? `: ${escapeMarkdown(outcome.error ?? outcome.reason ?? "")}` : ""} | ${outcome.seconds?.toFixed(1) ?? ""} | ${outcome.digest ? inlineCode(outcome.digest) : ""} |`
    ),
    ""
  ].join("\n");
}

// src/github/annotations.ts
import { join, relative, sep } from "node:path";
function annotationsFor(problems, planErrors, paths) {
  const inRepository = (file) => relative(paths.workspace, join(paths.root, file)).split(sep).join("/");
  return [
    ...problems.map((problem) => ({
      level: problem.severity,
      message: problem.message,
      title: `imagesmith ${problem.rule}`,
      file: inRepository(problem.file),
      startLine: problem.line,
      startColumn: problem.column
    })),
    ...planErrors.map((error2) => ({
      level: "error",
      message: `${error2.image}: ${error2.message}`,
      title: "imagesmith plan",
      file: inRepository(error2.file ?? "imagesmith.yaml")
    }))
  ];
}
var ANNOTATIONS_SHOWN = 10;
function cappedNotice(annotations) {
  const errors = annotations.filter((a) => a.level === "error").length;
  const warnings = annotations.length - errors;
  if (errors <= ANNOTATIONS_SHOWN && warnings <= ANNOTATIONS_SHOWN) return void 0;
  return `${errors} error${errors === 1 ? "" : "s"} and ${warnings} warning${warnings === 1 ? "" : "s"}: GitHub shows only the first ${ANNOTATIONS_SHOWN} of each kind as annotations; every one is in the job summary and in this log`;
}

// src/github/comment.ts
var COMMENT_LIMIT = 65536;
function planMarker(root) {
  return `<!-- imagesmith:plan root=${root.replace(/-->/g, "")} -->`;
}
async function upsertComment(port, marker, text) {
  const body = `${marker}
${text}`;
  const marked = [];
  for await (const page of port.list()) {
    for (const comment2 of page) {
      if (comment2.body?.startsWith(marker)) marked.push({ ...comment2, body: comment2.body });
    }
  }
  let ours = marked.filter((comment2) => comment2.author?.bot);
  if (ours.length === 0 && marked.length > 0) {
    const login = await port.whoami();
    ours = marked.filter((comment2) => login !== void 0 && comment2.author?.login === login);
  }
  const [first, ...extra] = ours;
  for (const duplicate of extra) await port.remove(duplicate.id);
  if (first === void 0) return { action: "created", id: (await port.create(body)).id };
  if (first.body === body) return { action: "unchanged", id: first.id };
  await port.update(first.id, body);
  return { action: "updated", id: first.id };
}

// src/github/log.ts
var GUARD = "\u200B";
function runnerSafe(text) {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/).map((line) => /^\s*(::|##\[)/.test(line) ? GUARD + line : line).join("\n");
}

// src/github/rest.ts
async function commentsPort(token, repository, number) {
  const [owner = "", repo = ""] = repository.split("/");
  const { getOctokit } = await import("./chunks/github-LMGQZSOP.js");
  const octokit = getOctokit(token);
  const issue2 = { owner, repo, issue_number: number };
  return {
    async *list() {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...issue2,
        per_page: 100
      })) {
        yield page.data.map((item) => ({
          id: item.id,
          body: item.body ?? null,
          ...item.user ? { author: { login: item.user.login, bot: item.user.type === "Bot" } } : {}
        }));
      }
    },
    async whoami() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (error2) {
        const status = error2.status;
        if (status === 401 || status === 403 || status === 404) return void 0;
        throw error2;
      }
    },
    async create(body) {
      const { data } = await octokit.rest.issues.createComment({ ...issue2, body });
      return { id: data.id };
    },
    async update(id, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    },
    async remove(id) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: id });
    }
  };
}

// src/github/report.ts
function info2(text) {
  info(runnerSafe(text));
}
var LOG_TAIL_LINES = 40;
async function logTail(outcome) {
  const text = await readFile(outcome.logFile, "utf8").catch(() => "");
  if (!text) return;
  const lines = text.trimEnd().split("\n").slice(-LOG_TAIL_LINES);
  startGroup(runnerSafe(`${outcome.name}: the last ${lines.length} lines of its build log`));
  for (const line of lines) info2(line);
  endGroup();
}
var SUMMARY_LIMIT = 1e6;
async function reportPlan(result, context, report = {}) {
  annotate(result.validation.problems, result.plan?.errors ?? [], context);
  if (!result.plan) {
    const markdown = formatValidationMarkdown(result.validation.problems);
    await writeSummary(markdown);
    if (report.comment !== false) await comment(markdown, context);
    setFailed(
      `the catalog is invalid (${problemCounts(result.validation.problems)}): nothing planned`
    );
    return false;
  }
  const planned = result.plan;
  const { describeBaseline, fitPlanMarkdown } = await import("./chunks/plan-P7BEHYOX.js");
  for (const warning2 of describeBaseline(planned.baseline).warnings)
    warning(warning2, { title: "imagesmith: the published catalog" });
  const planFile = join2(context.root, WORK_DIR, "plan.json");
  const json = JSON.stringify(planned);
  await writeFileAtomic(planFile, json + "\n", { within: context.root });
  setOutput("plan", planOutput(planned, json));
  setOutput("plan-file", planFile);
  setOutput("matrix", JSON.stringify(formatMatrix(planned, context.inputs.maxUnits)));
  setOutput("changed", changedImages(planned).join(","));
  setOutput("has-changes", String(hasChanges(planned)));
  if (report.comment !== false) {
    await writeSummary(fitPlanMarkdown(planned, SUMMARY_LIMIT, "a job summary"));
    const marker = planMarker(context.inputs.root);
    await comment(
      fitPlanMarkdown(planned, COMMENT_LIMIT - marker.length - 200, "a comment"),
      context
    );
  }
  if (planned.errors.length > 0) {
    setFailed(
      `the plan has ${planned.errors.length} error${planned.errors.length === 1 ? "" : "s"}: ${planned.errors.map((e) => e.image).join(", ")}`
    );
    return false;
  }
  return true;
}
async function reportVerify(result, context) {
  if (!await reportPlan(result, context, { comment: result.plan === void 0 })) return;
  const [{ fitPlanMarkdown }, report] = await Promise.all([
    import("./chunks/plan-P7BEHYOX.js"),
    import("./chunks/verify-6GVR3EWN.js")
  ]);
  for (const image of result.verified ?? []) {
    if (image.logTail?.length) {
      startGroup(runnerSafe(`${image.name}: the end of its build log`));
      for (const line of image.logTail) info2(line);
      endGroup();
    }
    for (const contract of image.contracts.filter((c) => !c.ok)) {
      startGroup(runnerSafe(`${image.name}: contract ${contract.name} failed`));
      for (const line of (contract.output ?? "").split("\n")) info2(line);
      endGroup();
    }
    const failed = image.contracts.filter((c) => !c.ok);
    if (image.state !== "done" || failed.length > 0)
      error(
        runnerSafe(image.error ?? `contracts failed: ${failed.map((c) => c.name).join(", ")}`),
        {
          title: `imagesmith: ${image.name} did not verify`
        }
      );
  }
  const planned = result.plan;
  const summary2 = report.fitVerifyMarkdown(result, SUMMARY_LIMIT / 2, "a job summary");
  await writeSummary(
    `${fitPlanMarkdown(planned, SUMMARY_LIMIT - summary2.length - 100, "a job summary")}
${summary2}`
  );
  const room = COMMENT_LIMIT - planMarker(context.inputs.root).length - 300;
  const shown = report.fitVerifyMarkdown(result, room / 2, "a comment");
  await comment(`${fitPlanMarkdown(planned, room - shown.length, "a comment")}
${shown}`, context);
  setOutput("verified", String(report.verifyPassed(result)));
  if (!report.verifyPassed(result)) setFailed(report.verifySummary(result));
}
function stageGroups() {
  let open2 = false;
  return {
    start(name) {
      if (open2) endGroup();
      startGroup(name);
      open2 = true;
    },
    end() {
      if (open2) endGroup();
      open2 = false;
    }
  };
}
var OUTPUT_LIMIT = 1e6;
function planOutput(planned, json) {
  if (json.length <= OUTPUT_LIMIT) return json;
  const lean = JSON.stringify({
    ...planned,
    images: planned.images.map(({ dockerfile: _, previousDockerfile: __, ...entry }) => entry)
  });
  notice(
    `the plan JSON has ${json.length} characters: the plan output leaves out the Dockerfiles (${lean.length} characters); plan-file has all of it`
  );
  return lean;
}
function annotate(problems, planErrors, context) {
  for (const problem of problems) info2(formatProblem(problem));
  const annotations = annotationsFor(problems, planErrors, context);
  const capped = cappedNotice(annotations);
  if (capped) notice(capped, { title: "imagesmith: annotations" });
  for (const annotation of annotations) {
    const properties = {
      title: annotation.title,
      file: annotation.file,
      ...annotation.startLine === void 0 ? {} : { startLine: annotation.startLine },
      ...annotation.startColumn === void 0 ? {} : { startColumn: annotation.startColumn }
    };
    if (annotation.level === "error") error(annotation.message, properties);
    else warning(annotation.message, properties);
  }
}
async function comment(text, context) {
  let markdown = text;
  const { policy, inputs, env } = context;
  if (!policy.pullRequest || !inputs.comment) return;
  const number = policy.pullRequest.number;
  markdown += commentFooter(policy.pullRequest.headSha, env);
  if (!inputs.githubToken) {
    warning(
      `no github-token: the plan is not posted on pull request #${number}; it is in the job summary`
    );
    return;
  }
  const repository = env.GITHUB_REPOSITORY ?? "";
  try {
    const port = await commentsPort(inputs.githubToken, repository, number);
    const done = await upsertComment(port, planMarker(inputs.root), markdown);
    info2(`the plan comment on pull request #${number} is ${done.action} (id ${done.id})`);
  } catch (error2) {
    const status = error2.status;
    const why = status === 403 && policy.pullRequest.fork ? "a pull request from a fork gets a read-only token" : status === 403 ? "the token lacks pull-requests: write" : error2.message;
    warning(
      `could not post the plan on pull request #${number} (${why}); it is in the job summary`
    );
  }
}
function commentFooter(headSha, env) {
  const parts = [];
  if (headSha) parts.push(`commit ${headSha.slice(0, 12)}`);
  const run = runUrl(env);
  if (run) parts.push(`[workflow run](${run})`);
  return parts.length === 0 ? "" : `
---
<sub>imagesmith plan for ${parts.join(" \xB7 ")}</sub>
`;
}
function reportCatalog(result) {
  if (result.catalogFile) setOutput("catalog", result.catalogFile);
  setOutput("digests", JSON.stringify(pinnedReferences(result)));
  if (result.unchanged || result.artifactDigest) info2(publishedLine(result));
  for (const image of result.catalog?.images ?? []) {
    if (image.status === "failed" || image.status === "cancelled")
      warning(`${image.name}: ${image.status}: ${image.message ?? ""}`, {
        title: `imagesmith: ${image.name} ${image.status}`
      });
  }
}
function runUrl(env) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env;
  if (!server || !repository || !id) return void 0;
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
  return `${server}/${repository}/actions/runs/${id}${attempt}`;
}
async function writeSummary(markdown) {
  if (!markdown || !process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await summary.addRaw(markdown, true).write();
  } catch (error2) {
    summary.emptyBuffer();
    warning(`the job summary is not written: ${error2.message}`);
  }
}
async function reportValidation(result, context) {
  annotate(result.problems, [], context);
  await writeSummary(
    result.valid ? `## imagesmith validate

${validLine(result)}.
` : formatValidationMarkdown(result.problems)
  );
  if (!result.valid) setFailed(`the catalog is invalid: ${problemCounts(result.problems)}`);
}
async function jobScreen(verbose, buildsGroup) {
  const [{ formatRunStart }, { BuildProgress }] = await Promise.all([
    import("./chunks/plan-P7BEHYOX.js"),
    import("./chunks/progress-Z7XJBNA7.js")
  ]);
  const progress = new BuildProgress({ write: (text) => info2(text.replace(/\n$/, "")) });
  const groups = stageGroups();
  groups.start("imagesmith: plan");
  return {
    options: {
      ...verbose ? { output: (line) => info2(line) } : {},
      progress: (line) => info2(line),
      planned: (made, builds) => {
        info2(formatRunStart(made, builds));
        groups.start(`${buildsGroup()} (${builds.length})`);
      },
      buildProgress: (name, state, seconds) => progress.update(name, state, seconds)
    },
    finish: (outcomes) => progress.finish([...outcomes]),
    end: () => groups.end()
  };
}
async function reportSync(result) {
  const report = await import("./chunks/sync-J3G2W6EZ.js");
  for (const line of report.formatSyncText(result).trimEnd().split("\n")) info2(line);
  await writeSummary(report.formatSyncMarkdown(result));
  for (const conflict of result.plan.conflicts)
    warning(runnerSafe(conflict.reason), { title: "imagesmith: PrimeHub conflict" });
  for (const error2 of result.plan.errors)
    error(runnerSafe(error2.message), { title: `imagesmith: ${error2.name}` });
  if (report.syncFailed(result))
    setFailed("the sync did not make PrimeHub match the catalog: see above");
}
async function reportSite(made) {
  info2(`wrote the site of ${made.images} images (${made.files.length} files) from ${made.from}`);
  setOutput("site", made.out);
  await writeSummary(
    `## imagesmith site

${made.images} images, ${made.files.length} files, from ${inlineCode(made.from)}.
`
  );
}
async function reportPublish(result, context) {
  if (!await reportPlan(result, context, { comment: false })) return;
  reportCatalog(result);
  await writeSummary(catalogMarkdown(result.catalog));
}
async function reportBuild(result, context, job) {
  if (!await reportPlan(result, context, { comment: false })) return;
  reportCatalog(result);
  if (job.resultFile) setOutput("result", job.resultFile);
  await writeSummary(buildMarkdown(result));
  if (job.cancelled) {
    setFailed(
      `cancelled (${job.cancelled}): the images being built are recorded as cancelled`
    );
    return;
  }
  const outcomes = result.outcomes ?? [];
  const bad = outcomes.filter((outcome) => outcome.state !== "done");
  for (const outcome of outcomes)
    for (const warning2 of outcome.warnings ?? [])
      warning(runnerSafe(warning2), { title: `imagesmith: ${outcome.name}` });
  for (const outcome of bad) if (outcome.state === "failed") await logTail(outcome);
  for (const outcome of bad)
    error(`${outcome.name}: ${outcome.state}: ${outcome.error ?? outcome.reason ?? ""}`, {
      title: `imagesmith: ${outcome.name} ${outcome.state}`
    });
  if (bad.length > 0) setFailed(`${bad.length} of ${outcomes.length} builds did not finish`);
}
async function reportDoctor(checks) {
  const { formatDoctorText } = await import("./chunks/doctor-CWQSRRO5.js");
  for (const line of formatDoctorText(checks).split("\n")) info2(line);
  const marks = { ok: "\u2713", warn: "\u26A0", fail: "\u2717" };
  await writeSummary(
    [
      "## imagesmith doctor",
      "",
      "| | check | found |",
      "| --- | --- | --- |",
      ...checks.map(
        (check) => `| ${marks[check.status]} | ${check.name} | ${escapeMarkdown(check.detail)} |`
      ),
      ""
    ].join("\n")
  );
  const failed = checks.filter((check) => check.status === "fail");
  for (const check of failed)
    error(runnerSafe(check.detail), { title: `imagesmith doctor: ${check.name}` });
  if (failed.length > 0)
    setFailed(
      `${failed.length} doctor check${failed.length === 1 ? "" : "s"} failed: ${failed.map((c) => c.name).join(", ")}`
    );
}

// src/action.ts
var COMMANDS = [
  "validate",
  "plan",
  "verify",
  "build",
  "publish",
  "run",
  "site",
  "sync-primehub",
  "doctor"
];
function getInputs(env = process.env) {
  const registryPassword = getInput("registry-password");
  if (registryPassword) setSecret(registryPassword);
  const registryUsername = getInput("registry-username");
  if (registryPassword && registryUsername)
    setSecret(Buffer.from(`${registryUsername}:${registryPassword}`).toString("base64"));
  const githubToken = getInput("github-token");
  const primehubToken = getInput("primehub-token");
  if (primehubToken) setSecret(primehubToken);
  delete env["INPUT_PRIMEHUB-TOKEN"];
  delete env["INPUT_REGISTRY-PASSWORD"];
  delete env["INPUT_GITHUB-TOKEN"];
  const command = getInput("command") || "plan";
  if (!COMMANDS.includes(command))
    throw new UsageError(`input command: "${command}" is not one of ${COMMANDS.join(", ")}`);
  return {
    command,
    root: getInput("root") || ".",
    githubToken,
    registryUsername,
    registryPassword,
    comment: booleanInput("comment", true),
    rebuild: listInput("rebuild"),
    only: listInput("only"),
    jobs: numberInput("jobs", 2),
    results: getInput("results"),
    maxUnits: numberInput("max-units", DEFAULT_MAX_UNITS),
    unit: getInput("unit"),
    planFile: getInput("plan-file"),
    forcePublish: booleanInput("force-publish", false),
    registry: getInput("registry"),
    verbose: booleanInput("verbose", false),
    primehubEndpoint: getInput("primehub-endpoint"),
    primehubToken
  };
}
function booleanInput(name, fallback) {
  const value = getInput(name).toLowerCase();
  if (value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`input ${name}: "${value}" is not true or false`);
}
function listInput(name) {
  return getInput(name).split(/[,\n]/).map((item) => item.trim()).filter(Boolean);
}
function numberInput(name, fallback) {
  const text = getInput(name);
  if (text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`input ${name}: "${text}" is not a whole number of 1 or more`);
  return value;
}
function readEvent(env) {
  let payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      const data = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
      if (typeof data === "object" && data !== null) payload = data;
    } catch (error2) {
      warning(
        `cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${error2.message}`
      );
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME,
    ref: env.GITHUB_REF,
    repository: env.GITHUB_REPOSITORY,
    payload
  };
}
async function runAction(env = process.env) {
  try {
    const runnerEnv = { ...env };
    const inputs = getInputs(env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const context = {
      inputs,
      policy: eventPolicy(readEvent(env)),
      workspace,
      root: resolve(workspace, inputs.root),
      env,
      runnerEnv
    };
    await runCommand(context);
  } catch (error2) {
    setFailed(`imagesmith: ${error2 instanceof Error ? error2.message : String(error2)}`);
  }
}
async function runCommand(context) {
  const { inputs, policy } = context;
  let command = inputs.command;
  if (inputs.planFile && command !== "build" && command !== "run")
    throw new UsageError(
      `input plan-file: only build and run execute a plan; ${command} makes its own`
    );
  if (command === "sync-primehub" && !policy.mayPublish) {
    warning(
      `imagesmith sync-primehub: PrimeHub is not changed: ${policy.why}. What a sync would change is shown instead.`,
      { title: "imagesmith: dry run" }
    );
  } else if ((command === "build" || command === "publish" || command === "run") && !policy.mayPublish) {
    warning(
      `imagesmith ${command}: nothing is built, pushed or published: ${policy.why}. The plan is shown instead.`,
      { title: "imagesmith: plan only" }
    );
    command = "plan";
  }
  if ((command === "build" || command === "run" || command === "verify") && await buildsInNamespace(context.root, context.env)) {
    process.exitCode = await rerunInBuildahNamespace(context.runnerEnv, info2);
    return;
  }
  const portEnv = credentialsEnvironment(context);
  const cancellation = cancelOnSignals((signal) => warning(cancelling(signal)));
  try {
    await runWithOptions(context, command, portEnv, cancellation);
  } catch (error2) {
    const signalled = cancellation.received();
    if (!signalled) throw error2;
    setFailed(cancelledUnpublished(signalled));
  } finally {
    cancellation.dispose();
  }
}
async function runWithOptions(context, command, portEnv, cancellation) {
  const { inputs, policy } = context;
  const options = {
    root: context.root,
    ...doorPorts(portEnv, cancellation.signal, inputs.registry),
    source: import("./chunks/git-37SG56ZD.js").then(({ gitSource }) => gitSource(context.root)),
    force: inputs.rebuild,
    // A run that may not publish only previews: the published catalog answers for the recipes it
    // records, and the default branch's own plan checks the registry before anything is built.
    trustPublished: !policy.mayPublish
  };
  switch (command) {
    case "validate":
      return reportValidation(await validate(options), context);
    case "doctor":
      return reportDoctor(await doctor({ ...options, env: context.env }));
    case "plan":
      await reportPlan(await plan(options), context);
      return;
    case "verify": {
      const screen = await jobScreen(inputs.verbose, () => "imagesmith: verification builds");
      const result = await verify({ ...options, jobs: inputs.jobs, ...screen.options }).finally(
        () => screen.end()
      );
      screen.finish(result.outcomes ?? []);
      return reportVerify(result, context);
    }
    case "sync-primehub": {
      if (!inputs.primehubEndpoint)
        throw new UsageError("input primehub-endpoint: give PrimeHub's GraphQL endpoint");
      const token = inputs.primehubToken || context.env.PRIMEHUB_API_TOKEN || "";
      if (!token)
        throw new UsageError(
          "input primehub-token (or PRIMEHUB_API_TOKEN): the API token of a PrimeHub administrator"
        );
      const result = await syncPrimeHub({
        ...options,
        endpoint: inputs.primehubEndpoint,
        token,
        ...policy.mayPublish ? {} : { dryRun: true }
      });
      return reportSync(result);
    }
    case "site":
      return reportSite(await site({ ...options, out: join3(context.root, WORK_DIR, "site") }));
    case "publish": {
      const result = await publish({
        ...options,
        ...inputs.forcePublish ? { forcePublish: true } : {},
        ...inputs.results ? { results: resolve(context.workspace, inputs.results) } : {},
        progress: (line) => warning(line)
      });
      return reportPublish(result, context);
    }
    case "build":
    case "run": {
      const unit = inputs.unit || "build";
      const resultFile = command === "build" ? resultFileFor(
        context.root,
        inputs.results ? resolve(context.workspace, inputs.results) : void 0,
        unit
      ) : void 0;
      const planFile = inputs.planFile ? resolve(context.workspace, inputs.planFile) : void 0;
      if (planFile) {
        info2(`imagesmith ${command}: executing the plan ${planFile}, not planning again`);
        if (inputs.rebuild.length > 0)
          warning(
            `input rebuild is not used with plan-file: the plan already says what is rebuilt (give rebuild to the plan step)`
          );
      }
      const screen = await jobScreen(
        inputs.verbose,
        () => command === "run" ? "imagesmith: build and publish" : "imagesmith: build"
      );
      const result = await runAll({
        ...options,
        jobs: inputs.jobs,
        ...inputs.only.length > 0 ? { only: inputs.only } : {},
        ...planFile ? { planFile } : {},
        ...resultFile ? { resultFile, unit } : {},
        publish: command === "run",
        ...inputs.forcePublish ? { forcePublish: true } : {},
        ...runUrl(context.env) ? { logUrl: runUrl(context.env) } : {},
        ...screen.options
      }).finally(() => screen.end());
      screen.finish(result.outcomes ?? []);
      return reportBuild(result, context, { resultFile, cancelled: cancellation.received() });
    }
  }
}
function credentialsEnvironment(context) {
  const { inputs, policy, env } = context;
  const target = pushTargetFrom(env, inputs.registry);
  const username = inputs.registryUsername || env.IMAGESMITH_REGISTRY_USERNAME;
  const password = inputs.registryPassword || env.IMAGESMITH_REGISTRY_PASSWORD;
  const portEnv = { ...env };
  delete portEnv.IMAGESMITH_REGISTRY_USERNAME;
  delete portEnv.IMAGESMITH_REGISTRY_PASSWORD;
  if (!username || !password) return portEnv;
  if (!target && !policy.mayPublish) {
    warning(
      `the registry credentials are not used: ${policy.why}, so imagesmith.yaml is untrusted and could name any registry. Set the registry input to the registry images are pushed to, and they are sent there only`,
      { title: "imagesmith: credentials not used" }
    );
    return portEnv;
  }
  return {
    ...portEnv,
    IMAGESMITH_REGISTRY_USERNAME: username,
    IMAGESMITH_REGISTRY_PASSWORD: password,
    ...target ? { IMAGESMITH_REGISTRY_HOST: target.host } : {}
  };
}
if (isEntryPoint(import.meta.url)) await runAction();
export {
  COMMANDS,
  getInputs,
  readEvent,
  runAction
};
