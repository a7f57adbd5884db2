import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GateRuleError, judgeRun, parsePromoteIf, validateGateRule } from "../src/quality-gate.js";

describe("quality gate", () => {
  it("reads comparisons joined by and", () => {
    assert.deepEqual(parsePromoteIf("r2 >= 0.8 and mae<3.5 AND rmse <= 1e1"), [
      { metric: "r2", operator: ">=", bound: 0.8 },
      { metric: "mae", operator: "<", bound: 3.5 },
      { metric: "rmse", operator: "<=", bound: 10 },
    ]);
  });

  it("refuses what it cannot read, naming the part and the known metrics", () => {
    assert.throws(
      () => parsePromoteIf("r2 => 0.8"),
      (e: unknown) => e instanceof GateRuleError && /cannot read "r2 => 0.8"/.test(e.message),
    );
    assert.throws(() => parsePromoteIf("auc > 0.5"), /unknown metric "auc".*known: r2, mae/);
    assert.throws(
      () => validateGateRule({ promoteIf: "accuracy > 0.9" }, "regression"),
      /"accuracy", which a regression run does not measure/,
    );
    assert.throws(() => validateGateRule({ maxRegression: -1 }, "classification"), /maxRegression must be a number ≥ 0/);
    assert.doesNotThrow(() => validateGateRule({ promoteIf: "accuracy > 0.9", maxRegression: 0 }, "classification"));
  });

  it("promotes a run that meets every rule and says what it checked", () => {
    const verdict = judgeRun(
      { promoteIf: "r2 >= 0.8", maxRegression: 0.05 },
      "regression",
      { r2: 0.9123456, mae: 1 },
      { runId: "2026120306", value: 0.93 },
    );
    assert.equal(verdict.promote, true);
    assert.equal(verdict.reason, null);
    assert.deepEqual(
      verdict.checks.map((c) => c.text),
      ["r2 0.9123 >= 0.8", "r2 0.9123 vs latest 0.93 (2026120306) on the same rows: fell 0.01765"],
    );
  });

  it("holds back a worse model and says why", () => {
    const verdict = judgeRun(
      { promoteIf: "r2 >= 0.8 and mae < 2", maxRegression: 0.05 },
      "regression",
      { r2: 0.85, mae: 2.5 },
      { runId: "2026120306", value: 0.95 },
    );
    assert.equal(verdict.promote, false);
    assert.equal(verdict.reason, "mae 2.5 < 2; r2 0.85 vs latest 0.95 (2026120306) on the same rows: fell 0.1 > 0.05");
  });

  it("lets the first model through maxRegression (nothing to regress from) but not through a failed threshold", () => {
    assert.equal(judgeRun({ maxRegression: 0 }, "classification", { accuracy: 0.1 }, null).promote, true);
    const verdict = judgeRun({ promoteIf: "accuracy > 0.5" }, "classification", { accuracy: 0.1 }, null);
    assert.equal(verdict.reason, "accuracy 0.1 > 0.5");
  });

  it("treats a metric the run did not measure as a failed check", () => {
    const verdict = judgeRun({ promoteIf: "r2 >= 0.1" }, "regression", { mae: 1 }, null);
    assert.deepEqual(verdict, { promote: false, checks: [{ text: "r2 was not measured", passed: false }], reason: "r2 was not measured" });
  });
});
