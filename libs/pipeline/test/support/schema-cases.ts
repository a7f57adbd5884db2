/**
 * Documents generated from a JSON Schema, to hold two validators of the same schema against each other: for
 * every property (nested objects included) its boundary values and just-outside values, wrong types, enum
 * members and non-members, pattern examples and broken ones, empty and bad arrays; every required property
 * missing; an extra property wherever additional properties are refused. Each case says which field it
 * varies, so a rejection can be checked for naming it.
 *
 * It reads the schema keywords the contracts use (type, const, enum, minimum/maximum and their exclusive
 * forms, minLength, pattern, examples, default, items, minItems, properties, required, additionalProperties,
 * anyOf, oneOf, local $ref); a keyword it does not know makes it throw, so a new keyword in a contract cannot
 * go untested.
 */

type Schema = Record<string, unknown>;

export interface SchemaCase {
  /** What was varied, e.g. `params.seed = 4294967296`. */
  readonly label: string;
  /** The field the case varies (`params.seed`), or "" for the document as a whole. */
  readonly field: string;
  readonly document: unknown;
}

const KNOWN = new Set([
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "$ref",
  "title",
  "description",
  "examples",
  "default",
  "type",
  "const",
  "enum",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "pattern",
  "items",
  "minItems",
  "properties",
  "required",
  "additionalProperties",
  "anyOf",
  "oneOf",
  "dependentRequired",
]);

const ABSENT = Symbol("absent");
type Value = unknown | typeof ABSENT;

/** Every generated document for a schema, starting from its first `examples` entry. */
export function casesFromSchema(root: Schema): SchemaCase[] {
  const base = (root.examples as unknown[] | undefined)?.[0];
  if (base === undefined) throw new Error(`${String(root.$id)}: the generator starts from the schema's first example; it has none`);
  const cases: SchemaCase[] = [{ label: "the schema's example", field: "", document: base }];
  for (const { path, value, label } of variants(root, root, base, [])) {
    cases.push({ label, field: path.join("."), document: setAt(base, path, value) });
  }
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = JSON.stringify(c.document);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Variant {
  path: string[];
  value: Value;
  label: string;
}

function variants(root: Schema, schema: Schema, example: unknown, path: string[]): Variant[] {
  const s = resolve(root, schema);
  for (const key of Object.keys(s))
    if (!KNOWN.has(key)) throw new Error(`schema-cases: keyword "${key}" at ${path.join(".") || "the root"} is not generated`);
  const at = (value: Value, why: string): Variant => ({ path, value, label: `${path.join(".") || "document"} ${why}: ${show(value)}` });
  const out: Variant[] = [];
  for (const value of leafValues(s)) out.push(at(value, "="));
  for (const value of wrongTypes(typesOf(s))) out.push(at(value, "wrong type"));

  if (typesOf(s).has("object")) {
    const current = isObject(example) ? example : {};
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const [name, property] of Object.entries(properties)) {
      const inner = current[name] ?? firstExample(resolve(root, property));
      out.push(...variants(root, property, inner, [...path, name]));
      if (!((s.required as string[] | undefined) ?? []).includes(name))
        out.push({ path: [...path, name], value: ABSENT, label: `${[...path, name].join(".")} absent` });
    }
    for (const name of (s.required as string[] | undefined) ?? []) {
      out.push({ path: [...path, name], value: ABSENT, label: `${[...path, name].join(".")} missing (required)` });
    }
    if (s.additionalProperties === false) {
      out.push({ path: [...path, "unexpectedField"], value: 1, label: `${path.join(".") || "document"} with an extra field` });
    } else if (isObject(s.additionalProperties)) {
      for (const v of variants(root, s.additionalProperties, undefined, [...path, "extraField"])) out.push(v);
    }
  }
  if (typesOf(s).has("array")) {
    const items = resolve(root, (s.items ?? {}) as Schema);
    const item = Array.isArray(example) && example.length > 0 ? example[0] : firstExample(items);
    out.push(at([], "empty list"));
    for (const v of variants(root, items, item, [])) {
      if (v.path.length === 0 && v.value === ABSENT) continue;
      out.push(at([setAt(item, v.path, v.value)], `one item whose ${v.label}`));
    }
  }
  for (const branch of [...((s.anyOf ?? []) as Schema[]), ...((s.oneOf ?? []) as Schema[])]) {
    out.push(...variants(root, { ...branch }, example, path).filter((v) => v.path.length === path.length));
  }
  return out;
}

/** Values at and around each bound, the schema's own values, and strings near its pattern and length. */
function leafValues(s: Schema): unknown[] {
  const values: unknown[] = [];
  if ("const" in s) values.push(s.const, typeof s.const === "number" ? s.const + 1 : `${String(s.const)}x`);
  if (Array.isArray(s.enum)) values.push(...s.enum, "not-a-member");
  if ("default" in s) values.push(s.default);
  if (Array.isArray(s.examples)) values.push(...s.examples);
  const types = typesOf(s);
  if (types.has("number") || types.has("integer")) {
    const integer = !types.has("number");
    const step = integer ? 1 : 1e-9;
    for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
      const bound = s[key];
      if (typeof bound !== "number") continue;
      values.push(bound, bound - step, bound + step, bound + 0.5, bound - 0.5);
      if (!integer) values.push(bound - 1, bound + 1);
    }
    values.push(0, 1, -1, 2.5, 1e6);
  }
  if (types.has("string")) {
    values.push("", " ", "x", "yesterday", "0.2");
    if (typeof s.minLength === "number") values.push("x".repeat(s.minLength), "x".repeat(Math.max(0, s.minLength - 1)));
    for (const example of (s.examples as string[] | undefined) ?? []) {
      values.push(
        `${example}x`,
        example.slice(0, -1),
        ` ${example}`,
        example.toLowerCase(),
        example.replace(/\d/, "9"),
        example.replace(/\d{2}/, "13"),
      );
    }
  }
  if (types.has("null")) values.push(null);
  if (types.has("boolean")) values.push(true, false);
  return values;
}

function wrongTypes(allowed: Set<string>): unknown[] {
  const samples: [string, unknown][] = [
    ["null", null],
    ["boolean", true],
    ["integer", 3],
    ["number", 0.5],
    ["string", "0.2"],
    ["array", [1]],
    ["object", { a: 1 }],
  ];
  return samples.filter(([type]) => !allowed.has(type) && !(type === "integer" && allowed.has("number"))).map(([, value]) => value);
}

/** The JSON types a schema admits (all of them when it does not say). */
function typesOf(s: Schema): Set<string> {
  if (typeof s.type === "string") return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  if ("const" in s) return new Set([jsonType(s.const)]);
  if (Array.isArray(s.enum)) return new Set(s.enum.map(jsonType));
  return new Set(["null", "boolean", "integer", "number", "string", "array", "object"]);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function resolve(root: Schema, s: Schema): Schema {
  if (typeof s.$ref !== "string") return s;
  const match = /^#\/\$defs\/(.+)$/.exec(s.$ref);
  if (!match) throw new Error(`schema-cases: only local $refs are generated, not ${s.$ref}`);
  const { $ref: _ref, ...rest } = s;
  return { ...resolve(root, (root.$defs as Record<string, Schema>)[match[1]]), ...rest };
}

function firstExample(s: Schema): unknown {
  if (Array.isArray(s.examples)) return s.examples[0];
  return s.default;
}

function setAt(document: unknown, path: string[], value: Value): unknown {
  if (path.length === 0) return value === ABSENT ? undefined : value;
  const [head, ...rest] = path;
  const container: Record<string, unknown> = isObject(document) ? { ...document } : {};
  const next = setAt(container[head], rest, value);
  if (next === undefined && (value === ABSENT || rest.length > 0)) delete container[head];
  else container[head] = next;
  return container;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: Value): string {
  return value === ABSENT ? "absent" : JSON.stringify(value);
}
