import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

let ajv: Ajv2020 | undefined;
const compiledSchemas = new Map<object, ValidateFunction>();

/**
 * The one ajv instance for the project's JSON Schemas (2020-12), and each schema compiled once per
 * process, on first use.
 */
export function compileSchema(schema: object): ValidateFunction {
  let validate = compiledSchemas.get(schema);
  if (validate) return validate;
  ajv ??= createAjv();
  validate = ajv.compile(schema);
  compiledSchemas.set(schema, validate);
  return validate;
}

function createAjv(): Ajv2020 {
  const instance = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
    // The schemas are checked against the meta-schema by a test; compiling the meta-schema at
    // every start would cost more than validating a thousand files.
    validateSchema: false,
  });
  // Annotations our schemas carry for the error mapper; ajv only has to accept them.
  instance.addKeyword({ keyword: "x-rule", schemaType: "string" });
  // The message editors (yaml-language-server) show for a failed subschema; imagesmith has its own.
  instance.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return instance;
}
