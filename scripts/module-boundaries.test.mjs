import assert from "node:assert/strict";
import { test } from "node:test";
import { boundaryViolations } from "./module-boundaries.mjs";

const node = (...tags) => ({ data: { tags } });
const graph = (nodes, dependencies) => ({ nodes, dependencies });

test("libraries depend on libraries only; apps on libraries and embeddable apps", () => {
  const nodes = { ml: node("type:lib"), pipeline: node("type:lib"), board: node("type:app", "app:embeddable"), worker: node("type:app") };
  assert.deepEqual(
    boundaryViolations(graph(nodes, { pipeline: [{ target: "ml" }], worker: [{ target: "board" }, { target: "npm:bullmq" }] })),
    [],
  );
  assert.deepEqual(boundaryViolations(graph(nodes, { pipeline: [{ target: "board" }] })), [
    "pipeline (type:lib) depends on board (type:app, app:embeddable): a library never reaches up into an app",
  ]);
  assert.deepEqual(boundaryViolations(graph(nodes, { board: [{ target: "worker" }] })), [
    "board (type:app) depends on worker (type:app): apps stay thin: they share code through libraries",
  ]);
});

test("every project has exactly one kind", () => {
  assert.deepEqual(boundaryViolations(graph({ loose: node("lang:python"), both: node("type:lib", "type:app") }, {})), [
    "both: needs exactly one of the tags type:lib, type:app, type:infra (has type:lib, type:app)",
    "loose: needs exactly one of the tags type:lib, type:app, type:infra (has none)",
  ]);
});
