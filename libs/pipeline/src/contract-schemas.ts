import type { ErrorObject, SchemaObject, ValidateFunction } from "ajv/dist/2020.js";
import runPlanSchema from "@canopy/contracts/run-plan.schema.json" with { type: "json" };
import runRequestSchema from "@canopy/contracts/run-request.schema.json" with { type: "json" };
import runResultSchema from "@canopy/contracts/run-result.schema.json" with { type: "json" };
import shardResultSchema from "@canopy/contracts/shard-result.schema.json" with { type: "json" };
import * as compiled from "./contract-validators.generated.js";

/**
 * The JSON Schema files of contracts/, compiled ahead of time by Ajv (draft 2020-12, standalone code:
 * scripts/compile-contract-validators.mjs; test/contract-validators.test.ts fails when it is out of date), so no
 * process loads Ajv or compiles a schema at start. The Python side validates the same files with jsonschema;
 * libs/pipeline/test/contract-conformance.test.ts checks that both sides accept and reject the same documents.
 */
export { runPlanSchema, runRequestSchema, runResultSchema, shardResultSchema };

/** A check of a document against one contract schema: null when it conforms, else a message naming the field. */
export type ContractCheck = (document: unknown) => string | null;

/** The check a compiled validator makes. */
function contractCheck(validate: ValidateFunction): ContractCheck {
  return (document) => (validate(document) ? null : describeError(validate.errors ?? []));
}

const validators = compiled as unknown as Record<"runRequest" | "runResult" | "shardResult" | "runPlan", ValidateFunction>;
export const checkRunRequest = contractCheck(validators.runRequest);
export const checkRunResult = contractCheck(validators.runResult);
export const checkShardResult = contractCheck(validators.shardResult);
export const checkRunPlan = contractCheck(validators.runPlan);

/**
 * One line naming the field and what it must be. Ajv stops at the first failing keyword; a failed `anyOf`
 * also lists its branches' errors, which say less than the `anyOf` itself, so that one is reported.
 */
function describeError(errors: ErrorObject[]): string {
  const error = errors.find((e) => e.keyword === "anyOf" || e.keyword === "oneOf") ?? errors[0];
  if (error === undefined) return "does not match its schema";
  const field = fieldOf(error.instancePath);
  const got = `(got ${preview(error.data)})`;
  switch (error.keyword) {
    case "required":
      return `${join(field, error.params.missingProperty as string)} is required`;
    case "additionalProperties":
      return `${join(field, error.params.additionalProperty as string)} is not a known field`;
    case "dependentRequired":
      return `${join(field, error.params.missingProperty as string)} is required with ${join(field, error.params.property as string)}`;
    case "anyOf":
    case "oneOf":
      return `${field} is not valid ${got}: ${(error.parentSchema as SchemaObject).description ?? "it matches none of the allowed forms"}`;
    case "pattern": {
      const { examples, description } = error.parentSchema as SchemaObject;
      const like = examples ? `a value like ${(examples as string[]).map((e) => JSON.stringify(e)).join(" or ")}` : description;
      return `${field} must be ${like ?? `text matching ${error.params.pattern}`} ${got}`;
    }
    case "type":
      return `${field || "the document"} must be ${[error.params.type].flat().join(" or ")} ${got}`;
    case "enum":
      return `${field} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} ${got}`;
    case "const":
      return `${field} must be ${JSON.stringify(error.params.allowedValue)} ${got}`;
    default:
      return `${field || "the document"} ${error.message ?? "is not valid"} ${got}`;
  }
}

/** `/params/seed` → `params.seed`; `/features/0` → `features[0]`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : join(path, part)), "");
}

function join(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
