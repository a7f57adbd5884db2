// The dependency rules between Nx projects, by their tags (the check behind `nx run contracts:lint`, the same
// rules @nx/eslint-plugin's enforce-module-boundaries would state, applied to Nx's own project graph, which
// already holds every import and package.json dependency between projects).

/** Each project's kind, and the kinds it may depend on. */
export const RULES = [
  { tag: "type:lib", mayDependOn: ["type:lib"], why: "a library never reaches up into an app" },
  // `canopy board` starts the board from the worker's command; an app opts in to being started so.
  { tag: "type:app", mayDependOn: ["type:lib", "app:embeddable"], why: "apps stay thin: they share code through libraries" },
  { tag: "type:infra", mayDependOn: [], why: "the deployment depends on no project's code" },
];

const KINDS = RULES.map((rule) => rule.tag);

/**
 * Every broken rule in an Nx project graph (`nx graph --file=…`'s `graph`: nodes with `data.tags`,
 * dependencies by source project); npm packages are not projects and are skipped.
 */
export function boundaryViolations(graph) {
  const problems = [];
  const tagsOf = (name) => graph.nodes[name]?.data?.tags ?? [];
  for (const name of Object.keys(graph.nodes).sort()) {
    const kinds = tagsOf(name).filter((tag) => KINDS.includes(tag));
    if (kinds.length !== 1) {
      problems.push(`${name}: needs exactly one of the tags ${KINDS.join(", ")} (has ${kinds.join(", ") || "none"})`);
      continue;
    }
    const rule = RULES.find((r) => r.tag === kinds[0]);
    for (const { target } of graph.dependencies[name] ?? []) {
      if (!(target in graph.nodes)) continue;
      if (!tagsOf(target).some((tag) => rule.mayDependOn.includes(tag))) {
        problems.push(`${name} (${rule.tag}) depends on ${target} (${tagsOf(target).join(", ")}): ${rule.why}`);
      }
    }
  }
  return problems;
}
