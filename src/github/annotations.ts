import { join, relative, sep } from "node:path";
import type { Problem } from "../model.js";
import type { PlanError } from "../stages/plan/index.js";

/** One workflow command annotation: shown on the file and line of a pull request's diff. */
export interface Annotation {
  level: "error" | "warning";
  message: string;
  title: string;
  /** Relative to the repository (GITHUB_WORKSPACE), `/` separators. */
  file: string;
  startLine?: number;
  startColumn?: number;
}

/** Validation problems and plan errors as annotations; files are made relative to the repository. */
export function annotationsFor(
  problems: readonly Problem[],
  planErrors: readonly PlanError[],
  paths: { root: string; workspace: string },
): Annotation[] {
  const inRepository = (file: string) =>
    relative(paths.workspace, join(paths.root, file)).split(sep).join("/");
  return [
    ...problems.map((problem) => ({
      level: problem.severity,
      message: problem.message,
      title: `imagesmith ${problem.rule}`,
      file: inRepository(problem.file),
      startLine: problem.line,
      startColumn: problem.column,
    })),
    ...planErrors.map((error) => ({
      level: "error" as const,
      message: `${error.image}: ${error.message}`,
      title: "imagesmith plan",
      file: inRepository(error.file ?? "imagesmith.yaml"),
    })),
  ];
}

/** GitHub shows at most this many annotations of each kind (error, warning) per step. */
export const ANNOTATIONS_SHOWN = 10;

/**
 * The notice to give when GitHub will drop annotations: how many of each kind there are, and that
 * every one of them is in the job summary and the log. Undefined when all of them show.
 */
export function cappedNotice(
  annotations: readonly Pick<Annotation, "level">[],
): string | undefined {
  const errors = annotations.filter((a) => a.level === "error").length;
  const warnings = annotations.length - errors;
  if (errors <= ANNOTATIONS_SHOWN && warnings <= ANNOTATIONS_SHOWN) return undefined;
  return `${errors} error${errors === 1 ? "" : "s"} and ${warnings} warning${warnings === 1 ? "" : "s"}: GitHub shows only the first ${ANNOTATIONS_SHOWN} of each kind as annotations; every one is in the job summary and in this log`;
}
