import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { completionScript, SHELLS, type Shell } from "./completion.js";
import { type CatalogConfig, IMAGE_TYPES, type ImageType } from "./model.js";
import { buildsInNamespace, isEntryPoint, rerunInBuildahNamespace } from "./doors.js";
import { UsageError } from "./errors.js";
import {
  CONFIG_FILE,
  doctor,
  imageLog,
  type Plan,
  type PlannedImage,
  newImage,
  plan,
  type PlanResult,
  publish,
  pullCatalog,
  servedCatalog,
  render,
  resultFileFor,
  exportCatalog,
  runAll,
  type RunOptions,
  site,
  syncPrimeHub,
  verify,
  validate,
} from "./pipeline.js";
import { formatStatus, statusRows } from "./report/status.js";
import type { SourceInfo } from "./git.js";
import {
  type Cancellation,
  cancelledUnpublished,
  cancelling,
  cancelOnSignals,
  signalExitCode,
} from "./cancel.js";
import { doorPorts } from "./ports.js";

/**
 * Modules only some commands need, loaded on first use: `validate`, `list` and `new` start without
 * the registry client, git, the plan report or the publisher.
 */
const lazy = {
  git: () => import("./git.js"),
  planReport: () => import("./report/plan.js"),
  progress: () => import("./report/progress.js"),
  runReport: () => import("./report/run.js"),
  verifyReport: () => import("./report/verify.js"),
};

/** The catalog's git source, read in the background while the catalog is validated. */
function gitSource(root: string): Promise<SourceInfo> {
  return lazy.git().then(({ gitSource: read }) => read(root));
}
import {
  formatImageTable,
  formatProblem,
  formatValidationJson,
  formatValidationText,
  problemCounts,
} from "./report/catalog.js";
import { VERSION } from "./version.js";
import { DEFAULT_MAX_UNITS, formatMatrix } from "./report/matrix.js";

/** Exit statuses scripts rely on. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** Where a command writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard error is a terminal: build progress is redrawn in place there. */
  errIsTTY?: boolean;
  /** Writes to standard error as it is (progress redraws), without a newline added. */
  errRaw?(text: string): void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
  errIsTTY: process.stderr.isTTY === true,
  errRaw: (text) => process.stderr.write(text),
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function commaList(value: string): string[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new InvalidArgumentError("give at least one group, e.g. --groups ml-team,research");
  return items;
}

const rootOption = () =>
  new Option("--root <dir>", "the catalog folder (holds imagesmith.yaml and images/)").default(
    defaultRoot(),
    "the nearest folder from here up that holds imagesmith.yaml, else .",
  );

let foundRoot: string | undefined;

/**
 * The catalog root when --root is not given: the working directory or the nearest folder above it
 * that holds imagesmith.yaml, so a command run inside images/ finds its catalog as git finds its
 * repository; the working directory when there is none (imagesmith.yaml is optional).
 */
export function defaultRoot(from = process.cwd()): string {
  if (foundRoot !== undefined && from === process.cwd()) return foundRoot;
  let dir = resolve(from);
  let found = ".";
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) {
      found = relative(process.cwd(), dir) || ".";
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (from === process.cwd()) foundRoot = found;
  return found;
}
const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("imagesmith")
    .description(
      "Container images as code: validate, plan, build and publish an image catalog kept as YAML.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run imagesmith --help for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command("validate")
    .description(
      "check every definition against the schema and the rules; print every problem at once",
    )
    .addOption(rootOption())
    .addOption(formatOption())
    .action(async (options: { root: string; format: string }) => {
      const result = await validate({ root: resolve(options.root), ...currentSession().ports });
      io.out(
        options.format === "json" ? formatValidationJson(result) : formatValidationText(result),
      );
      setExit(result.valid ? EXIT.ok : EXIT.problems);
    });

  program
    .command("list")
    .description("one row per image: name, type, existing or built, access, system or group")
    .addOption(rootOption())
    .addOption(formatOption())
    .action(async (options: { root: string; format: string }) => {
      const result = await validate({ root: resolve(options.root), ...currentSession().ports });
      const { images } = result.catalog;
      if (options.format === "json") {
        io.out(
          JSON.stringify(
            images.map((image) => ({
              name: image.name,
              type: image.type,
              source: image.build ? "build" : "existing",
              // One shape for tools: the flag and the list, as the catalog has them.
              global: image.global,
              groups: image.groups,
              scope: image.system ? "system" : "group",
              ...(image.groupName === undefined ? {} : { groupName: image.groupName }),
              file: image.file,
            })),
            null,
            2,
          ),
        );
      } else {
        io.out(images.length === 0 ? "no images" : formatImageTable(images));
      }
      if (!result.valid) {
        io.err(
          `the catalog has ${problemCounts(result.problems)}: run imagesmith validate to see them`,
        );
        setExit(EXIT.problems);
      }
    });

  program
    .command("new")
    .description("add an image definition: an existing image (--url) or a custom build (--base)")
    .argument(
      "<display-name>",
      "the image name, e.g. pytorch-2.3 (lowercase letters, digits, '-', '.')",
    )
    .addOption(new Option("--type <type>", "who can run it").choices(IMAGE_TYPES))
    .option("--url <ref>", "use an existing image")
    .option("--base <ref>", "build a custom image on this base (a reference, or image:<name>)")
    .option("--gpu-url <ref>", "universal images: the image for GPU instance types")
    .option("--apt <pkg>", "an apt package to install (repeatable)", collect, [])
    .option("--conda <spec>", "a conda package to install (repeatable)", collect, [])
    .option("--pip <spec>", "a pip requirement to install (repeatable)", collect, [])
    .option("--groups <a,b>", "the groups that may use it", commaList)
    .option("--global", "every group may use it")
    .option("--pull-secret <name>", "the secret the platform pulls --url with")
    .option("--group <group>", "make it a group image of this group (images/groups/<group>/)")
    .option("--description <text>", "what the image is for")
    .option("--dry-run", "print the definition, write nothing")
    .addOption(rootOption())
    .addOption(formatOption())
    .action(async (displayName: string, options: NewOptions) => {
      setExit(await runNew(displayName, options, io));
    });

  program
    .command("plan")
    .description(
      "diff the catalog against the registry: for each image one action (build, skip, register, update, remove) and why",
    )
    .addOption(rootOption())
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "markdown", "matrix"])
        .default("text"),
    )
    .addOption(maxUnitsOption())
    .option(
      "--trust-published",
      "a preview: take recipes the previous catalog records as ready as still in the registry, without asking it",
    )
    .option("--out <file>", "write the plan to this file instead of standard output")
    .option(
      "--force <name>",
      "rebuild this image whatever the registry holds (repeatable)",
      collect,
      [],
    )
    .option(
      "--previous <catalog.json>",
      "compare with this catalog file instead of the published one (a review only: never published from)",
    )
    .action(
      async (options: {
        root: string;
        format: string;
        out?: string;
        force: string[];
        previous?: string;
        maxUnits: number;
        trustPublished?: boolean;
      }) => {
        const root = resolve(options.root);
        const result = await plan({
          root,
          ...currentSession().ports,
          force: options.force,
          source: gitSource(root),
          ...(options.previous === undefined ? {} : { previous: resolve(options.previous) }),
          ...(options.trustPublished ? { trustPublished: true } : {}),
        });
        setExit(await reportPlan(result, options, io));
      },
    );

  program
    .command("render")
    .description("write the Dockerfile of every built image to <out>/<name>/Dockerfile")
    .addOption(rootOption())
    .option("--out <dir>", "where to write (default: <root>/.imagesmith/render)")
    .option(
      "--offline",
      "ask no registry: render the images whose bases are pinned by digest (and known to the base cache), and name the others",
    )
    .addOption(formatOption())
    .action(async (options: { root: string; out?: string; format: string; offline?: boolean }) => {
      const root = resolve(options.root);
      const { offlineRegistry } = await import("./registry/offline.js");
      const result = await render({
        root,
        ...currentSession().ports,
        ...(options.offline
          ? { registry: (config: CatalogConfig) => offlineRegistry(config.registry) }
          : {}),
        source: gitSource(root),
        ...(options.out === undefined ? {} : { out: resolve(options.out) }),
      });
      if (!result.plan) {
        for (const problem of result.validation.problems) io.err(formatProblem(problem));
        if (options.format === "json")
          io.out(JSON.stringify({ files: [], problems: result.validation.problems }, null, 2));
        setExit(EXIT.problems);
        return;
      }
      if (options.format === "json")
        io.out(JSON.stringify({ files: result.files, errors: result.plan.errors }, null, 2));
      else for (const file of result.files) io.out(file);
      for (const error of result.plan.errors)
        io.err(
          options.offline
            ? `${error.file ?? error.image}: not rendered offline: ${error.image}: ${error.message}`
            : `${error.file ?? error.image}: error plan: ${error.image}: ${error.message}`,
        );
      setExit(result.plan.errors.length > 0 ? EXIT.problems : EXIT.ok);
    });

  program
    .command("run")
    .description("the whole job: validate, plan, build and push what changed, publish the catalog")
    .addOption(rootOption())
    .addOption(jobsOption())
    .option("--force <name>", "rebuild this image and its children (repeatable)", collect, [])
    .addOption(forcePublishOption())
    .addOption(logUrlOption())
    .option(
      "--dry-run",
      "plan and show the catalog that would be published; build and write nothing",
    )
    .addOption(verboseOption())
    .addOption(quietOption())
    .addOption(formatOption())
    .action(
      async (options: {
        root: string;
        jobs: number;
        force: string[];
        forcePublish?: boolean;
        dryRun?: boolean;
        logUrl?: string;
        verbose?: boolean;
        quiet?: boolean;
        format: string;
      }) => {
        setExit(await runJob(options, io));
      },
    );

  program
    .command("verify")
    .description(
      "a pull request's check: build what the plan would build, without pushing; run each image's contracts; show what changes against the images served now",
    )
    .addOption(rootOption())
    .addOption(jobsOption())
    .addOption(verboseOption())
    .addOption(quietOption())
    .addOption(reportFormatOption())
    .action(
      async (options: {
        root: string;
        jobs: number;
        verbose?: boolean;
        quiet?: boolean;
        format: string;
      }) => {
        setExit(await verifyJob(options, io));
      },
    );

  program
    .command("build")
    .description(
      "build and push: what the plan says, or the named images and their children (the Rebuild button)",
    )
    .argument("[name...]", "images to rebuild whatever the registry holds")
    .addOption(rootOption())
    .addOption(jobsOption())
    .option(
      "--plan <plan.json>",
      "execute a plan written by plan --format json instead of planning again",
    )
    .option("--force <name>", "rebuild this image and its children (repeatable)", collect, [])
    .option(
      "--only <a,b>",
      "build only these images (and their children) where the plan says so: one matrix unit",
      commaList,
    )
    .option(
      "--result-file <file>",
      "where to write how each build ended, for publish --results (default: .imagesmith/results/<unit>.json)",
    )
    .option("--unit <name>", "the matrix unit this job builds, recorded in the result file")
    .addOption(logUrlOption())
    .option("--dry-run", "show what would be built; build nothing")
    .addOption(verboseOption())
    .addOption(quietOption())
    .addOption(formatOption())
    .action(
      async (
        names: string[],
        options: {
          root: string;
          jobs: number;
          plan?: string;
          force: string[];
          only?: string[];
          resultFile?: string;
          unit?: string;
          dryRun?: boolean;
          logUrl?: string;
          verbose?: boolean;
          quiet?: boolean;
          format: string;
        },
      ) => {
        setExit(
          await runJob(
            {
              ...options,
              force: [...options.force, ...names],
              only: [...names, ...(options.only ?? [])],
              publish: false,
              resultFile:
                options.resultFile ?? resultFileFor(options.root, undefined, options.unit),
            },
            io,
          ),
        );
      },
    );

  program
    .command("publish")
    .description(
      "write .imagesmith/catalog.json (the permission manifest) and push it to the registry as an OCI artifact",
    )
    .addOption(rootOption())
    .option(
      "--results <dir>",
      "merge the build results in this folder (build --result-file, one per matrix unit); an image left without one is failed",
    )
    .addOption(forcePublishOption())
    .option("--dry-run", "print the catalog; write and push nothing")
    .addOption(formatOption())
    .action(
      async (options: {
        root: string;
        dryRun?: boolean;
        results?: string;
        forcePublish?: boolean;
        format: string;
      }) => {
        const root = resolve(options.root);
        const result = await publish({
          root,
          ...currentSession().ports,
          source: gitSource(root),
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(options.forcePublish ? { forcePublish: true } : {}),
          ...(options.results === undefined ? {} : { results: resolve(options.results) }),
          progress: (line) => io.err(line),
        });
        const failed = reportPlanFailures(result, io);
        const { formatRunJson, publishedLine } = await lazy.runReport();
        if (options.format === "json") io.out(formatRunJson(result, !options.dryRun).trimEnd());
        if (failed !== undefined) return setExit(failed);
        if (options.format === "json") return setExit(EXIT.ok);
        if (options.dryRun) io.out(JSON.stringify(result.catalog, null, 2));
        else io.out(publishedLine(result));
        setExit(EXIT.ok);
      },
    );

  program
    .command("status")
    .description(
      "each image: status, digest, last build time, log path (from the published catalog)",
    )
    .addOption(rootOption())
    .addOption(formatOption())
    .addOption(catalogOption())
    .action(async (options: { root: string; format: string; catalog?: string }) => {
      const root = resolve(options.root);
      const { catalog } = await servedCatalog({
        root,
        ...currentSession().ports,
        ...(options.catalog === undefined ? {} : { catalogFile: catalogPath(options.catalog) }),
      });
      io.out(
        options.format === "json"
          ? JSON.stringify(statusRows(catalog, root), null, 2)
          : formatStatus(catalog, root),
      );
      setExit(
        catalog.images.some((image) => image.status === "failed" || image.status === "cancelled")
          ? EXIT.problems
          : EXIT.ok,
      );
    });

  program
    .command("doctor")
    .description(
      "can this machine plan, build and publish this catalog? Node, the catalog, git, the builder, rootless buildah, the registry and the credentials; pushes nothing",
    )
    .addOption(rootOption())
    .addOption(formatOption())
    .action(async (options: { root: string; format: string }) => {
      const checks = await doctor({
        root: resolve(options.root),
        ...currentSession().ports,
        env: process.env,
      });
      io.out(
        options.format === "json"
          ? JSON.stringify({ ready: !checks.some((c) => c.status === "fail"), checks }, null, 2)
          : (await import("./report/doctor.js")).formatDoctorText(checks),
      );
      setExit(checks.some((check) => check.status === "fail") ? EXIT.problems : EXIT.ok);
    });

  program
    .command("completion")
    .description(
      "print a shell completion script: imagesmith completion bash > ~/.local/share/bash-completion/completions/imagesmith",
    )
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action((shell: Shell) => {
      io.out(completionScript(program, shell).replace(/\n$/, ""));
      setExit(EXIT.ok);
    });

  program
    .command("sync")
    .description("make a platform match the published catalog")
    .command("primehub")
    .description(
      "make PrimeHub's images and their group access match the published catalog (token: PRIMEHUB_API_TOKEN)",
    )
    .addOption(rootOption())
    .requiredOption(
      "--endpoint <url>",
      "PrimeHub's GraphQL endpoint, e.g. https://hub.acme.dev/api/graphql",
    )
    .addOption(catalogOption())
    .option("--dry-run", "print what would change; change nothing")
    .option(
      "--adopt <name>",
      "manage this image of PrimeHub's from the catalog although imagesmith did not create it (repeatable)",
      collect,
      [],
    )
    .option(
      "--ledger <file>",
      "keep the ledger of imagesmith's images in this file, not in the registry",
    )
    .addOption(reportFormatOption())
    .action(
      async (options: {
        root: string;
        endpoint: string;
        catalog?: string;
        dryRun?: boolean;
        adopt: string[];
        ledger?: string;
        format: string;
      }) => {
        const token = process.env.PRIMEHUB_API_TOKEN ?? "";
        if (!token)
          throw new UsageError(
            "set PRIMEHUB_API_TOKEN to the API token of a PrimeHub administrator (PrimeHub: User Profile → API Token)",
          );
        const root = resolve(options.root);
        const result = await syncPrimeHub({
          root,
          ...currentSession().ports,
          endpoint: options.endpoint,
          token,
          ...(options.catalog === undefined ? {} : { catalogFile: catalogPath(options.catalog) }),
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(options.adopt.length > 0 ? { adopt: options.adopt } : {}),
          ...(options.ledger === undefined ? {} : { ledgerFile: resolve(options.ledger) }),
        });
        const report = await import("./report/sync.js");
        io.out(
          (options.format === "json"
            ? report.formatSyncJson(result)
            : options.format === "markdown"
              ? report.formatSyncMarkdown(result)
              : report.formatSyncText(result)
          ).replace(/\n$/, ""),
        );
        setExit(report.syncFailed(result) ? EXIT.problems : EXIT.ok);
      },
    );

  program
    .command("site")
    .description(
      "the published catalog as a static web site: every image, what each group may use, how to pull each one and why a build failed",
    )
    .addOption(rootOption())
    .requiredOption("--out <dir>", "the folder to write the site to (empty, new, or one site made)")
    .addOption(catalogOption())
    .option("--tag <tag>", "which published catalog: latest (default) or a commit")
    .option(
      "--installed",
      "read the served images' SBOMs from the registry for their installed packages (default unless --catalog)",
    )
    .option("--no-installed", "do not read the served images' SBOMs")
    .addOption(formatOption())
    .action(
      async (options: {
        root: string;
        out: string;
        catalog?: string;
        tag?: string;
        installed?: boolean;
        format: string;
      }) => {
        const root = resolve(options.root);
        const started = performance.now();
        const made = await site({
          root,
          ...currentSession().ports,
          out: resolve(options.out),
          ...(options.catalog === undefined ? {} : { catalogFile: catalogPath(options.catalog) }),
          ...(options.tag === undefined ? {} : { tag: options.tag }),
          ...(options.installed === undefined ? {} : { installed: options.installed }),
        });
        if (options.format === "json")
          io.out(
            JSON.stringify(
              { out: made.out, from: made.from, images: made.images, files: made.files.length },
              null,
              2,
            ),
          );
        io.err(
          `wrote the site of ${made.images} images (${made.files.length} files) from ${made.from} to ${made.out} in ${((performance.now() - started) / 1000).toFixed(1)} s: open ${join(made.out, "index.html")}`,
        );
        setExit(EXIT.ok);
      },
    );

  program
    .command("logs")
    .description("print the build log of the image served, or of its latest attempt")
    .argument("<name>", "the image")
    .option("--attempt", "the latest attempt's log (a build that failed, was cancelled or runs)")
    .addOption(rootOption())
    .addOption(catalogOption())
    .addOption(formatOption())
    .action(
      async (
        name: string,
        options: { root: string; attempt?: boolean; catalog?: string; format: string },
      ) => {
        const log = await imageLog({
          root: resolve(options.root),
          ...currentSession().ports,
          name,
          attempt: options.attempt === true,
          ...(options.catalog === undefined ? {} : { catalogFile: catalogPath(options.catalog) }),
        });
        if (options.format === "json")
          io.out(JSON.stringify({ name, attempt: options.attempt === true, ...log }, null, 2));
        else io.out(log.text ?? `the log of ${name} is not in this checkout; it is at ${log.url}`);
      },
    );

  program
    .command("catalog")
    .description("the published catalog in the registry")
    .command("pull")
    .description("read the catalog artifact back from the registry")
    .addOption(rootOption())
    .option("--out <file>", "write it here instead of standard output")
    .option("--tag <tag>", "which catalog: latest or a commit", "latest")
    .action(async (options: { root: string; out?: string; tag: string }) => {
      const read = await pullCatalog({
        root: resolve(options.root),
        ...currentSession().ports,
        tag: options.tag,
      });
      const text = JSON.stringify(read.catalog, null, 2) + "\n";
      if (options.out) {
        await writeFile(resolve(options.out), text);
        io.err(`wrote ${options.out} from ${read.from}`);
      } else io.out(text);
    });

  program
    .command("export")
    .description("the published catalog as resources for another platform")
    .addOption(
      new Option("--format <format>", "what to write").choices(["primehub"]).makeOptionMandatory(),
    )
    .addOption(rootOption())
    .option("--namespace <ns>", "metadata.namespace of the resources")
    .option("--out <file>", "write here instead of standard output")
    .addOption(catalogOption())
    .action(
      async (options: { root: string; namespace?: string; out?: string; catalog?: string }) => {
        const text = await exportCatalog({
          root: resolve(options.root),
          ...currentSession().ports,
          format: "primehub",
          ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
          ...(options.catalog === undefined ? {} : { catalogFile: catalogPath(options.catalog) }),
        });
        if (options.out) await writeFile(resolve(options.out), text);
        else io.out(text);
      },
    );

  return program;
}

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError("give a whole number of 1 or more");
  return number;
}

const logUrlOption = () =>
  new Option(
    "--log-url <url>",
    "where this run's build logs can be read (a CI run's page), recorded in the catalog",
  ).argParser((value) => {
    if (!/^https?:\/\/\S+$/.test(value)) throw new InvalidArgumentError("give an http(s) URL");
    return value;
  });

const forcePublishOption = () =>
  new Option(
    "--force-publish",
    "publish even if the published catalog moved since the plan, could not be read, or comes from a commit HEAD does not contain",
  );

/** --format of a command that reports: for a terminal, for a pull request or summary, for tools. */
const reportFormatOption = () =>
  new Option("--format <format>", "output format")
    .choices(["text", "json", "markdown"])
    .default("text");

const catalogOption = () =>
  new Option(
    "--catalog <file>",
    "read this catalog file instead of the published one (the registry's artifact); - reads standard input",
  );

/** A `--catalog` argument as a path: `-` is standard input. */
function catalogPath(file: string): string {
  return file === "-" ? "/dev/stdin" : resolve(file);
}

const verboseOption = () =>
  new Option("--verbose", "show the builders' own output (always in each image's log file)");
const quietOption = () =>
  new Option("--quiet", "print only problems: no plan, no progress, no table").conflicts("verbose");

const jobsOption = () =>
  new Option("--jobs <n>", "builds at once").default(2).argParser(wholeNumber);
const maxUnitsOption = () =>
  new Option("--max-units <n>", "--format matrix: at most this many build jobs (up to 256)")
    .default(DEFAULT_MAX_UNITS)
    .argParser(wholeNumber);

/** run and build: the plan first, one progress line per image, cancellation (exit 130 / 143). */
async function runJob(
  options: {
    root: string;
    jobs: number;
    force: string[];
    dryRun?: boolean;
    plan?: string;
    only?: string[];
    publish?: boolean;
    forcePublish?: boolean;
    resultFile?: string;
    unit?: string;
    logUrl?: string;
    verbose?: boolean;
    quiet?: boolean;
    format?: string;
  },
  io: Io,
): Promise<number> {
  const root = resolve(options.root);
  const { cancellation } = currentSession();
  const json = options.format === "json";
  const [screen, { formatPlanJson, formatPlanText }, { formatRunJson, publishedLine }] =
    await Promise.all([buildScreen(options, io), lazy.planReport(), lazy.runReport()]);
  const { progress } = screen;
  try {
    const result = await runAll({
      root,
      ...currentSession().ports,
      source: gitSource(root),
      force: options.force,
      jobs: options.jobs,
      signal: cancellation.signal,
      ...(options.only ? { only: options.only } : {}),
      ...(options.resultFile ? { resultFile: resolve(options.resultFile) } : {}),
      ...(options.unit ? { unit: options.unit } : {}),
      ...(options.logUrl ? { logUrl: options.logUrl } : {}),
      ...(options.plan ? { planFile: resolve(options.plan) } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.publish === false ? { publish: false } : {}),
      ...(options.forcePublish ? { forcePublish: true } : {}),
      ...screen.options,
    });
    if (!options.quiet) progress.finish(result.outcomes ?? []);
    const failed = reportPlanFailures(result, io);
    if (failed !== undefined) {
      if (json) io.out(formatRunJson(result, false));
      return failed;
    }
    if (options.dryRun) {
      io.out(json ? formatPlanJson(result.plan as Plan) : formatPlanText(result.plan as Plan));
      return EXIT.ok;
    }
    const signalled = cancellation.received();
    if (signalled) {
      if (json) io.out(formatRunJson(result, false));
      io.err(
        `cancelled: nothing was published${result.resultFile ? `; the results are in ${result.resultFile}` : ""}`,
      );
      return signalExitCode(signalled);
    }
    if (json) io.out(formatRunJson(result, options.publish !== false));
    else if (result.catalog && !options.quiet) io.out(formatStatus(result.catalog, root));
    for (const outcome of result.outcomes ?? [])
      for (const warning of outcome.warnings ?? []) io.err(`${outcome.name}: warning: ${warning}`);
    if (options.publish === false && (result.outcomes ?? []).length > 0)
      io.err(
        `built; the published catalog is unchanged until a publish serves these builds: imagesmith publish --results ${dirname(result.resultFile ?? resultFileFor(".", undefined))}`,
      );
    else if (result.catalogFile) io.err(publishedLine(result));
    const bad = (result.outcomes ?? []).filter((outcome) => outcome.state !== "done");
    for (const outcome of bad)
      io.err(
        `${outcome.name}: ${outcome.state}${outcome.error ? `: ${outcome.error}` : outcome.reason ? `: ${outcome.reason}` : ""}`,
      );
    return bad.length > 0 ? EXIT.problems : EXIT.ok;
  } finally {
    progress.stop();
  }
}

/**
 * How a command that builds shows it on stderr: the plan first (unless quiet), then one line per
 * image and state, redrawn in place on a terminal; the builders' own output only with --verbose,
 * where redrawing lines in place would tear it (it is in each image's log anyway).
 */
async function buildScreen(
  options: { verbose?: boolean; quiet?: boolean; dryRun?: boolean },
  io: Io,
): Promise<{
  progress: InstanceType<Awaited<ReturnType<typeof lazy.progress>>["BuildProgress"]>;
  options: Pick<RunOptions, "output" | "progress" | "planned" | "buildProgress">;
}> {
  const [{ BuildProgress }, { formatRunStart }] = await Promise.all([
    lazy.progress(),
    lazy.planReport(),
  ]);
  const progress = new BuildProgress({
    write: (text) => (io.errRaw ? io.errRaw(text) : io.err(text.replace(/\n$/, ""))),
    isTTY: io.errIsTTY === true && !options.verbose,
  });
  return {
    progress,
    options: {
      ...(options.verbose ? { output: (line: string) => io.err(line) } : {}),
      progress: (line) => io.err(line),
      ...(options.quiet || options.dryRun
        ? {}
        : {
            planned: (made: Plan, builds: readonly PlannedImage[]) =>
              io.err(formatRunStart(made, builds)),
          }),
      buildProgress: (name, state, seconds) => {
        if (!options.quiet) progress.update(name, state, seconds);
      },
    },
  };
}

/** `verify`: builds shown as they go on stderr, the verification on stdout; 1 when anything failed. */
async function verifyJob(
  options: { root: string; jobs: number; verbose?: boolean; quiet?: boolean; format: string },
  io: Io,
): Promise<number> {
  const root = resolve(options.root);
  const { cancellation } = currentSession();
  const [screen, report] = await Promise.all([buildScreen(options, io), lazy.verifyReport()]);
  const { progress } = screen;
  try {
    const result = await verify({
      root,
      ...currentSession().ports,
      source: gitSource(root),
      jobs: options.jobs,
      signal: cancellation.signal,
      // Only to pull with: a verification pushes nothing.
      ...screen.options,
    });
    if (!options.quiet) progress.finish(result.outcomes ?? []);
    const failed = options.format === "json" ? undefined : reportPlanFailures(result, io);
    if (options.format === "json") io.out(report.formatVerifyJson(result));
    else if (failed !== undefined) return failed;
    else if (options.format === "markdown") io.out(report.formatVerifyMarkdown(result));
    else io.out(report.formatVerifyText(result).replace(/\n$/, ""));
    const signalled = cancellation.received();
    if (signalled) return signalExitCode(signalled);
    return report.verifyPassed(result) ? EXIT.ok : EXIT.problems;
  } finally {
    progress.stop();
  }
}

/** Invalid catalog or plan errors: print them and give the exit status; undefined when planning worked. */
function reportPlanFailures(result: PlanResult, io: Io): number | undefined {
  if (!result.plan) {
    for (const problem of result.validation.problems) io.err(formatProblem(problem));
    io.err(`the catalog is invalid (${problemCounts(result.validation.problems)})`);
    return EXIT.problems;
  }
  if (result.plan.errors.length > 0) {
    for (const error of result.plan.errors)
      io.err(`${error.file ?? error.image}: error plan: ${error.image}: ${error.message}`);
    return EXIT.problems;
  }
  return undefined;
}

/**
 * This invocation's cancel (SIGINT / SIGTERM) and the ports made with it: `main` sets it for the
 * command it runs, so that one signal reaches every registry request, wait and build.
 */
let session: { cancellation: Cancellation; ports: ReturnType<typeof doorPorts> } | undefined;

function currentSession(): NonNullable<typeof session> {
  if (!session) throw new Error("imagesmith: a command ran outside main()");
  return session;
}

async function reportPlan(
  result: PlanResult,
  options: { format: string; out?: string; maxUnits?: number },
  io: Io,
): Promise<number> {
  if (!result.plan) {
    for (const problem of result.validation.problems) io.err(formatProblem(problem));
    const message = `the catalog is invalid (${problemCounts(result.validation.problems)}): nothing planned`;
    io.err(message);
    // A tool reading the JSON gets the problems too, not an empty standard output.
    if (options.format === "json" || options.format === "matrix")
      io.out(
        JSON.stringify(
          { error: { kind: "invalid-catalog", message, problems: result.validation.problems } },
          null,
          2,
        ),
      );
    return EXIT.problems;
  }
  const { describeBaseline, formatPlanJson, formatPlanMarkdown, formatPlanText } =
    await lazy.planReport();
  // The text plan opens with them; every other format still says them, on standard error.
  if (options.format !== "text")
    for (const warning of describeBaseline(result.plan.baseline).warnings)
      io.err(`warning: ${warning}`);
  const text =
    options.format === "json"
      ? formatPlanJson(result.plan)
      : options.format === "markdown"
        ? formatPlanMarkdown(result.plan)
        : options.format === "matrix"
          ? JSON.stringify(formatMatrix(result.plan, options.maxUnits))
          : formatPlanText(result.plan);
  if (options.out) {
    await mkdir(dirname(resolve(options.out)), { recursive: true });
    await writeFile(resolve(options.out), text.endsWith("\n") ? text : text + "\n");
  } else {
    io.out(text);
  }
  for (const problem of result.validation.problems.filter((p) => p.severity === "warning"))
    io.err(formatProblem(problem));
  if (result.plan.errors.length > 0) {
    for (const error of result.plan.errors)
      io.err(`${error.file ?? error.image}: error plan: ${error.image}: ${error.message}`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

interface NewOptions {
  format?: string;
  type?: ImageType;
  url?: string;
  base?: string;
  gpuUrl?: string;
  apt: string[];
  conda: string[];
  pip: string[];
  groups?: string[];
  global?: boolean;
  pullSecret?: string;
  group?: string;
  description?: string;
  dryRun?: boolean;
  root: string;
}

async function runNew(displayName: string, options: NewOptions, io: Io): Promise<number> {
  if ((options.url === undefined) === (options.base === undefined)) {
    throw new UsageError(
      "give exactly one of --url REF (use an existing image) or --base REF (build a custom image)",
    );
  }
  if (options.global && options.groups)
    throw new UsageError("--global and --groups exclude each other: choose one");
  if (options.group !== undefined && (options.global || options.groups)) {
    throw new UsageError("a group image (--group) is for its group only: drop --global / --groups");
  }
  if (options.base !== undefined && options.pullSecret !== undefined)
    throw new UsageError(
      "--pull-secret is for --url: a build pulls its base with the login the runner has for that registry (docker/login-action, buildah login), and the platform pulls built images with the pullSecret of imagesmith.yaml",
    );
  const packageCount = options.apt.length + options.conda.length + options.pip.length;
  if (options.url !== undefined && packageCount > 0) {
    throw new UsageError(
      "--apt, --conda and --pip install packages in a custom build: use --base instead of --url",
    );
  }
  const result = await newImage({
    root: resolve(options.root),
    dryRun: options.dryRun === true,
    request: {
      displayName,
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.type === undefined ? {} : { type: options.type }),
      ...(options.url === undefined ? {} : { url: options.url }),
      ...(options.gpuUrl === undefined ? {} : { urlForGpu: options.gpuUrl }),
      ...(options.base === undefined ? {} : { baseImage: options.base }),
      ...(options.pullSecret === undefined ? {} : { pullSecret: options.pullSecret }),
      ...(options.group === undefined ? {} : { group: options.group }),
      packages: { apt: options.apt, conda: options.conda, pip: options.pip },
      global: options.global === true,
      groups: options.groups ?? [],
    },
  });
  if (options.format === "json") {
    const failed = result.exists || result.problems.some((p) => p.severity === "error");
    io.out(
      JSON.stringify(
        {
          file: result.file,
          written: result.written,
          ...(result.exists ? { exists: true } : {}),
          problems: result.problems,
          ...(options.dryRun ? { text: result.text } : {}),
        },
        null,
        2,
      ),
    );
    for (const problem of result.problems) io.err(formatProblem(problem));
    return failed ? EXIT.problems : EXIT.ok;
  }
  if (result.exists) {
    io.err(`${result.file} already exists; edit it, or choose another name`);
    return EXIT.problems;
  }
  for (const problem of result.problems) io.err(formatProblem(problem));
  if (result.problems.some((p) => p.severity === "error")) {
    io.err(
      `nothing written: fix the ${problemCounts(result.problems.filter((p) => p.severity === "error"))} above`,
    );
    return EXIT.problems;
  }
  if (options.dryRun) {
    io.out(`# ${result.file} (dry run, not written)\n${result.text}`);
    return EXIT.ok;
  }
  io.out(`created ${result.file}`);
  return EXIT.ok;
}

/** Runs the CLI; resolves to the exit status instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (value) => {
    code = value;
  });
  const cancellation = cancelOnSignals(
    (signal) => io.err(cancelling(signal, "a second signal stops at once")),
    (signal) => process.exit(signalExitCode(signal)),
  );
  session = { cancellation, ports: doorPorts(process.env, cancellation.signal) };
  // With --format json, a failure is also a JSON object on standard output: a script reading it
  // never gets an empty answer.
  const json = wantsJson(argv);
  const failJson = (kind: string, message: string): void => {
    if (json) io.out(JSON.stringify({ error: { kind, message } }, null, 2));
  };
  try {
    await program.parseAsync([...argv], { from: "user" });
    const signalled = cancellation.received();
    if (!signalled) return code;
    io.err(`imagesmith: cancelled (${signalled})`);
    return signalExitCode(signalled);
  } catch (error) {
    const signalled = cancellation.received();
    if (signalled) {
      io.err(`imagesmith: ${cancelledUnpublished(signalled)}`);
      failJson("cancelled", `cancelled (${signalled})`);
      return signalExitCode(signalled);
    }
    if (error instanceof CommanderError) {
      if (error.exitCode !== 0) failJson("usage", error.message.replace(/^error: /, ""));
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.err(`imagesmith: ${error.message}`);
      failJson("usage", error.message);
      return EXIT.usage;
    }
    // Anything else is a failure of the run itself (an unreadable file, an unreachable registry):
    // one line that says what was being done, never a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`imagesmith: ${message}`);
    failJson((error as { stage?: string }).stage ?? "error", message);
    return EXIT.problems;
  } finally {
    cancellation.dispose();
    session = undefined;
  }
}

/** `--format json` is asked for: a failure is then also a JSON object on standard output. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, index) => arg === "--format=json" || (arg === "--format" && argv[index + 1] === "json"),
  );
}

/**
 * Whether `argv` builds images with buildah without root, so that the CLI runs again inside
 * buildah's user namespace (see buildsInNamespace): run, build and verify, unless they only
 * plan or print help. Decided before main(), so that only the run inside reacts to signals.
 */
async function buildsWithoutRoot(argv: readonly string[]): Promise<boolean> {
  const [command, ...rest] = argv;
  if (command !== "run" && command !== "build" && command !== "verify") return false;
  if (rest.some((arg) => arg === "--help" || arg === "-h" || arg === "--dry-run")) return false;
  const at = rest.findIndex((arg) => arg === "--root" || arg.startsWith("--root="));
  const given =
    at < 0 ? undefined : rest[at]?.startsWith("--root=") ? rest[at]?.slice(7) : rest[at + 1];
  return buildsInNamespace(resolve(given ?? defaultRoot()), process.env);
}

if (isEntryPoint(import.meta.url)) {
  const argv = process.argv.slice(2);
  const code = (await buildsWithoutRoot(argv))
    ? await rerunInBuildahNamespace(process.env, (line) => processIo.err(line)).catch(
        (error: Error) => {
          const usage = error instanceof UsageError;
          processIo.err(`imagesmith: ${error.message}`);
          if (wantsJson(argv))
            processIo.out(
              JSON.stringify(
                { error: { kind: usage ? "usage" : "error", message: error.message } },
                null,
                2,
              ),
            );
          return usage ? EXIT.usage : EXIT.problems;
        },
      )
    : await main(argv);
  // A cancelled job leaves at once: nothing it started may keep the process (and the runner) waiting.
  if (code === signalExitCode("SIGINT") || code === signalExitCode("SIGTERM")) process.exit(code);
  process.exitCode = code;
}
