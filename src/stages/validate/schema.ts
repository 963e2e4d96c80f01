import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { compileSchema } from "../../schemas.js";
import configSchema from "../../../schemas/config.schema.json" with { type: "json" };
import imageSchema from "../../../schemas/image.schema.json" with { type: "json" };
import type { Problem } from "../../model.js";
import { didYouMean, fieldPath, show, slugify } from "../../text.js";
import {
  fromPointer,
  keyNodeAt,
  nodeAt,
  offsetOf,
  positionOf,
  type YamlFile,
} from "../../source/yaml-file.js";

export { configSchema, imageSchema };

/** What a failed `x-rule` constraint means, per rule, in words a person can act on. */
const RULE_MESSAGES: Record<string, (field: string, value: unknown) => string> = {
  "display-name": (field, value) => {
    const suggestion = typeof value === "string" ? slugify(value) : "";
    const fix = suggestion && suggestion !== value ? `, e.g. ${suggestion}` : "";
    return `${field} ${show(value)} is not a valid image name: use lowercase letters, digits, "-" and "." (a "." only between letters or digits), starting and ending with a letter or digit, at most 63 characters${fix}`;
  },
  "moving-tag": (field, value) =>
    `${field} ${show(value)} is not a tag: letters, digits, "_", "." and "-", at most 128 characters, not starting with "." or "-"`,
  platform: (field, value) =>
    `${field} ${show(value)} is not a platform: write os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8`,
  "k8s-name": (field, value) =>
    `${field} ${show(value)} is not a Kubernetes name: use lowercase letters, digits and "-" (and "." in secret names), starting and ending with a letter or digit`,
};

/**
 * Rules the schema states for editors (schemas/image.schema.json `allOf`) and the code checks again
 * (index.ts), with the file's own context: a group image, the type it defaults to. The code's problem
 * is the one reported; the schema's own errors for these rules are dropped so that each problem is
 * told once.
 */
const RULES_CHECKED_IN_CODE = new Set(["url-or-build", "access", "gpu-url"]);

/** Fields people coming from PrimeHub or Dockerfiles reach for, and what to write instead. */
const FIELD_ADVICE: Record<string, string> = {
  imageSpec: 'a custom build is written under "build" (baseImage, packages)',
  // Only ever unknown under build (a definition's own pullSecret is known): PrimeHub's
  // imageSpec.pullSecret, which a build in CI has no use for.
  pullSecret:
    "a build pulls its base with the login the runner has for that registry (docker/login-action, buildah login, REGISTRY_AUTH_FILE), not with a Kubernetes secret: delete build.pullSecret. The platform pulls the built image with the pullSecret of imagesmith.yaml",
  groupName:
    "a group image lives in images/groups/<group>/<name>.yaml; its group comes from the folder",
  name: "the image name is generated from displayName",
  image: 'use "url" for an existing image, or "build.baseImage" to build on one',
  tag: 'put the tag in "url" (registry/repository:tag)',
  packages: 'packages belong under "build.packages"',
  baseImage: 'baseImage belongs under "build"',
};

export function checkImageSchema(source: YamlFile, data: unknown): Problem[] {
  return check(source, data, compileSchema(imageSchema));
}

export function checkConfigSchema(source: YamlFile, data: unknown): Problem[] {
  // Compiled apart from the image schema: a plan starts on the registry once the config is checked.
  return check(source, data, compileSchema(configSchema));
}

function check(source: YamlFile, data: unknown, validate: ValidateFunction): Problem[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // A value of the wrong type also fails its pattern or length; report the type alone.
  const typeFailures = new Set(
    errors.filter((e) => e.keyword === "type").map((e) => e.instancePath),
  );
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== "type" && typeFailures.has(error.instancePath)) continue;
    if (checkedInCode(validate.schema, error.schemaPath)) continue;
    const problem = toProblem(source, error);
    // A name too long and badly formed breaks one rule once.
    const key = `${problem.pointer}\0${problem.rule}`;
    if (reported.has(key)) continue;
    reported.add(key);
    problems.push(problem);
  }
  return problems;
}

/** Whether the failed keyword sits under a subschema whose `x-rule` the code checks itself. */
function checkedInCode(schema: unknown, schemaPath: string): boolean {
  let node = schema;
  // "#/allOf/0/anyOf/1/required": walked down from the root.
  for (const raw of schemaPath.replace(/^#\/?/, "").split("/")) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
    const rule = (node as Record<string, unknown> | undefined)?.["x-rule"];
    if (typeof rule === "string" && RULES_CHECKED_IN_CODE.has(rule)) return true;
  }
  return false;
}

function toProblem(source: YamlFile, error: ErrorObject): Problem {
  const path = fromPointer(error.instancePath);
  const field = fieldPath(path) || "the file";
  let offset = offsetOf(nodeAt(source, path).node);
  let pointer = error.instancePath;
  let rule: string;
  let message: string;

  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      offset = offsetOf(keyNodeAt(source, path, key)) || offset;
      pointer = `${error.instancePath}/${key}`;
      rule = "unknown-field";
      const where = path.length === 0 ? "" : ` in ${field}`;
      const advice = FIELD_ADVICE[key];
      const suggestion = didYouMean(key, known);
      message =
        `unknown field "${key}"${where}` +
        (suggestion || (advice ? `; ${advice}` : `; known fields: ${known.join(", ")}`));
      break;
    }
    case "required": {
      const key = String(error.params.missingProperty);
      rule = "required-field";
      message = `missing required field "${key}"${path.length === 0 ? "" : ` in ${field}`}${requiredAdvice(key)}`;
      pointer = `${error.instancePath}/${key}`;
      break;
    }
    case "type": {
      rule = "field-type";
      message = typeMessage(field, error, path.length === 0);
      break;
    }
    case "enum": {
      rule = "field-value";
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const value = error.data;
      const extra =
        value === "both"
          ? '; PrimeHub\'s "both" is called "universal" here'
          : didYouMean(String(value), allowed);
      message = `${field} must be one of ${allowed.join(", ")}; found ${show(value)}${extra}`;
      break;
    }
    default: {
      const named = (error.parentSchema as Record<string, unknown> | undefined)?.["x-rule"];
      if (typeof named === "string" && RULE_MESSAGES[named]) {
        rule = named;
        message = RULE_MESSAGES[named](field, error.data);
      } else if (error.keyword === "minLength") {
        rule = "field-value";
        message = `${field} must not be empty`;
      } else {
        rule = "field-value";
        message = `${field} ${error.message ?? "is invalid"}`;
      }
    }
  }
  const { line, column } = positionOf(source, offset);
  return { file: source.file, line, column, rule, message, severity: "error", pointer };
}

function requiredAdvice(key: string): string {
  if (key === "displayName") return "; every definition needs one, e.g. displayName: pytorch-2.3";
  if (key === "baseImage") return "; name the image to build on, e.g. baseImage: debian:bookworm";
  return "";
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  object: "a mapping of fields",
  array: "a list",
  null: "empty",
};

function typeMessage(field: string, error: ErrorObject, root: boolean): string {
  const expected = String(error.params.type)
    .split(",")
    .filter((t) => t !== "null")
    .map((t) => TYPE_WORDS[t] ?? t);
  const value = error.data;
  const found = Array.isArray(value)
    ? "a list"
    : value !== null && typeof value === "object"
      ? "a mapping"
      : show(value);
  const subject = root ? "a definition" : field;
  let fix = "";
  if (expected[0] === "a string" && (typeof value === "number" || typeof value === "boolean")) {
    fix = `; quote it: "${String(value)}"`;
  } else if (expected[0] === "true or false" && typeof value === "string") {
    fix = "; write true or false without quotes";
  } else if (root) {
    fix = "; write fields such as displayName: and url: at the top level";
  }
  if (expected.length === 2 && expected.includes("a list") && expected.includes("a string")) {
    return `${subject} must be a list of packages or a block string with one package per line; found ${found}`;
  }
  return `${subject} must be ${expected.join(" or ")}; found ${found}${fix}`;
}
