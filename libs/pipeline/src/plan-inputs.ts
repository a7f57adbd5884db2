import type { InputPin } from "@canopy/storage";
import type { RunPlan } from "./run-plan.js";

/**
 * The objects a plan pinned, in reading order. Plans made before input sets carry one object as `input`; they are
 * read as a set of one, so a run planned by an older worker still grows and publishes.
 */
export function planInputs(plan: Pick<RunPlan, "inputs" | "input">): InputPin[] {
  if (plan.inputs !== undefined) return plan.inputs;
  if (plan.input !== undefined) return [plan.input];
  throw new Error("the run plan names no input (neither inputs nor input)");
}
