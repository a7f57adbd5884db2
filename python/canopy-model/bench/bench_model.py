"""npm run bench:model — model size and whole-process load + predict, Canopy beside scikit-learn, ranger and ONNX.

Generates Friedman #1 (scikit-learn's make_friedman1, noise 1.0), trains Canopy (`canopy train`, defaults), scikit-learn
(RandomForestRegressor, defaults, n_jobs=2) and ranger (skranger, in .venvs/ranger) on as many training rows each (Canopy
reads a quarter more and holds them out, its default 20 % test split, so its trees grow on --rows rows), then runs each
predictor as its own process on the same other rows and reports wall time, the in-process load / predict split and
the peak RSS of that process (/usr/bin/time -f %M). Flags: --rows, --predict-rows, --trees, --out, --markdown,
--skip-ranger.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import make_friedman1

ROOT = Path(__file__).resolve().parents[3]
CANOPY = ["node", str(ROOT / "apps" / "worker" / "bin" / "canopy.js")]
MODEL_PY = str(ROOT / ".venvs" / "model" / "bin" / "python")
RANGER_PY = str(ROOT / ".venvs" / "ranger" / "bin" / "python")
# canopy train's default held-out fraction: its CSV has rows / (1 - TEST_SIZE) rows so that its trees grow on `rows`.
TEST_SIZE = 0.2


class Measured:
    """A child process with its own peak RSS, as /usr/bin/time reports it for exactly that command."""

    @staticmethod
    def run(command):
        # /usr/bin/time -f %M: the peak RSS of the command alone (a child forked from this process would inherit this
        # process's ru_maxrss across exec).
        with tempfile.NamedTemporaryFile(suffix=".rss") as rss_file:
            start = time.perf_counter()
            child = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *map(str, command)], capture_output=True, cwd=ROOT)
            wall = time.perf_counter() - start
            if child.returncode != 0:
                raise RuntimeError(f"{' '.join(map(str, command[:3]))} … failed ({child.returncode}): {child.stderr.decode()[-2000:]}")
            peak_kb = int(Path(rss_file.name).read_text().split()[-1])
        return wall, peak_kb * 1024, child.stdout.decode()


SKLEARN_FIT = """
import pickle, sys, time, numpy as np
from sklearn.ensemble import RandomForestRegressor
data = np.load(sys.argv[1]); X, y = data["X"], data["y"]
t = time.perf_counter(); model = RandomForestRegressor(n_estimators=int(sys.argv[3]), n_jobs=2, random_state=0).fit(X, y)
fit = time.perf_counter() - t
model.n_jobs = None
with open(sys.argv[2], "wb") as f: pickle.dump(model, f, protocol=5)
print(fit, sum(e.tree_.node_count for e in model.estimators_))
"""

RANGER_FIT = """
import pickle, sys, time, numpy as np
from skranger.ensemble import RangerForestRegressor
data = np.load(sys.argv[1]); X, y = data["X"], data["y"]
t = time.perf_counter(); model = RangerForestRegressor(n_estimators=int(sys.argv[3]), n_jobs=2, seed=1).fit(X, y)
fit = time.perf_counter() - t
with open(sys.argv[2], "wb") as f: pickle.dump(model, f, protocol=5)
print(fit, sum(len(ids[0]) for ids in model.ranger_forest_["forest"]["child_node_ids"]))
"""

PREDICT = {
    "canopy_model": """
import sys, time, numpy as np
t0 = time.perf_counter(); import canopy_model; forest = canopy_model.load(sys.argv[1]); t1 = time.perf_counter()
X = np.load(sys.argv[2]); t2 = time.perf_counter(); p = forest.predict(X); t3 = time.perf_counter()
np.save(sys.argv[3], p); print(t1 - t0, t3 - t2)
""",
    "sklearn": """
import pickle, sys, time, numpy as np
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as f: model = pickle.load(f)
t1 = time.perf_counter(); X = np.load(sys.argv[2]); t2 = time.perf_counter(); p = model.predict(X); t3 = time.perf_counter()
np.save(sys.argv[3], p); print(t1 - t0, t3 - t2)
""",
    "ranger": """
import pickle, sys, time, numpy as np
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as f: model = pickle.load(f)
t1 = time.perf_counter(); X = np.load(sys.argv[2]); t2 = time.perf_counter(); p = model.predict(X); t3 = time.perf_counter()
np.save(sys.argv[3], p); print(t1 - t0, t3 - t2)
""",
    "onnxruntime": """
import sys, time, numpy as np
t0 = time.perf_counter(); import onnxruntime as ort; s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
t1 = time.perf_counter(); X = np.load(sys.argv[2]); t2 = time.perf_counter()
p = s.run(None, {s.get_inputs()[0].name: X})[0]; t3 = time.perf_counter()
np.save(sys.argv[3], np.asarray(p).reshape(-1)); print(t1 - t0, t3 - t2)
""",
}


def mb(n):
    return f"{n / 1e6:,.1f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="training rows (default 100000)")
    parser.add_argument("--predict-rows", type=int, default=25_000)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--out", help="work folder (default: a temporary folder, removed)")
    parser.add_argument("--markdown", help="also write the tables to this Markdown file")
    parser.add_argument("--skip-ranger", action="store_true")
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="bench-model-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bench(args, work)
    finally:
        # The work folder holds ≈ 2 GB (pickles, the JSON and ONNX exports): kept only when --out names it.
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, work: Path) -> None:
    print(
        f"bench:model — Friedman #1, {args.rows:,} training rows × 10 features, {args.trees} trees, "
        f"predict {args.predict_rows:,} rows; work folder {work}",
        flush=True,
    )

    # Canopy's CSV: the training rows, then the rows its split holds out (it shuffles them together; the count is
    # what matters for time). scikit-learn and ranger fit the training rows alone.
    canopy_rows = round(args.rows / (1 - TEST_SIZE))
    X, y = make_friedman1(n_samples=canopy_rows + args.predict_rows, n_features=10, noise=1.0, random_state=0)
    names = [f"x{i}" for i in range(10)]
    X_train, y_train, X_new = X[: args.rows], y[: args.rows], np.ascontiguousarray(X[canopy_rows:])
    np.savez(work / "train.npz", X=X_train, y=y_train)
    np.save(work / "predict.npy", X_new)
    header = ",".join(names)
    with open(work / "train.csv", "w") as f:
        f.write(header + ",y\n")
        for row, target in zip(X[:canopy_rows].tolist(), y[:canopy_rows].tolist()):
            f.write(",".join(map(repr, row)) + "," + repr(target) + "\n")
    with open(work / "predict.csv", "w") as f:
        f.write(header + "\n")
        for row in X_new.tolist():
            f.write(",".join(map(repr, row)) + "\n")

    sizes, fits, predicts, notes = {}, {}, {}, []

    # --- training
    def canopy_train(out: Path) -> tuple[float, int]:
        train = ["train", "--data", str(work / "train.csv"), "--target", "y", "--trees", str(args.trees), "--test-size", str(TEST_SIZE)]
        wall, rss, _ = Measured.run(CANOPY + train + ["--out", str(out), "--run-date", "2026-01-01T00", "--force"])
        print(f"  canopy train {wall:.1f} s", flush=True)
        return wall, rss

    # canopy train runs once before scikit-learn's fit and once after it: a 10-second run samples one moment of a
    # shared machine whose speed drifts by ±15 % from minute to minute, the fit spans most of a minute; the ratio
    # uses the mean of the two runs (both are printed).
    canopy_runs = [canopy_train(work / "runs")]
    folder = work / "runs" / "2026" / "01" / "01" / "00"
    v2 = folder / "model.canopy"
    sys.path.insert(0, str(ROOT / "python" / "canopy-model"))
    import canopy_model

    forest = canopy_model.load(v2)
    canopy_nodes = sum(t.node_count for t in forest.trees)
    del forest
    sizes["Canopy v2 (model.canopy)"] = (v2.stat().st_size, canopy_nodes)
    v1 = work / "model.json"
    Measured.run(CANOPY + ["export", "--model", str(folder), "--format", "json", "--out", str(v1)])
    sizes["Canopy v1 (model.json, canopy export --format json)"] = (v1.stat().st_size, canopy_nodes)
    onnx = work / "model.onnx"
    try:
        Measured.run(CANOPY + ["export", "--model", str(folder), "--format", "onnx", "--out", str(onnx)])
        sizes["ONNX (canopy export --format onnx)"] = (onnx.stat().st_size, canopy_nodes)
    except RuntimeError as error:
        onnx = None
        notes.append(f"ONNX: not available — `canopy export --format onnx` failed here: {str(error).splitlines()[-1][:200]}")

    wall, rss, out = Measured.run([MODEL_PY, "-c", SKLEARN_FIT, str(work / "train.npz"), str(work / "sklearn.pkl"), str(args.trees)])
    canopy_runs.append(canopy_train(work / "runs-after"))
    shutil.rmtree(work / "runs-after", ignore_errors=True)
    fits[
        "Canopy (canopy train, whole process; mean of the runs before and after the fit: "
        + " s, ".join(f"{wall:.1f}" for wall, _ in canopy_runs)
        + " s)"
    ] = (sum(wall for wall, _ in canopy_runs) / len(canopy_runs), max(rss for _, rss in canopy_runs))
    fit, sk_nodes = out.split()
    fits["scikit-learn (fit alone, n_jobs=2)"] = (float(fit), rss)
    sizes["scikit-learn pickle"] = ((work / "sklearn.pkl").stat().st_size, int(sk_nodes))
    print(f"  scikit-learn fit {float(fit):.1f} s", flush=True)
    ranger = None
    if args.skip_ranger:
        notes.append("ranger: skipped (--skip-ranger)")
    elif not Path(RANGER_PY).exists():
        notes.append(
            "ranger: not available — skranger 0.8.0 (its newest) has no wheel for Python 3.11 on PyPI, and its sdist "
            "builds here without its compiled extension (`skranger.ranger` has no `ranger`), so no .venvs/ranger"
        )
    else:
        wall, rss, out = Measured.run([RANGER_PY, "-c", RANGER_FIT, str(work / "train.npz"), str(work / "ranger.pkl"), str(args.trees)])
        fit, rg_nodes = out.split()
        fits["ranger (skranger, fit alone, n_jobs=2)"] = (float(fit), rss)
        sizes["ranger (skranger) pickle"] = ((work / "ranger.pkl").stat().st_size, int(rg_nodes))
        ranger = work / "ranger.pkl"
        print(f"  ranger fit {float(fit):.1f} s", flush=True)

    # --- whole-process load + predict
    canopy_out = work / "canopy-predicted.csv"
    wall, rss, _ = Measured.run(CANOPY + ["predict", "--model", str(folder), "--data", str(work / "predict.csv"), "--out", str(canopy_out)])
    predicts["canopy predict (CSV in, CSV out)"] = (wall, None, None, rss)
    reference = np.loadtxt(canopy_out, delimiter=",", skiprows=1, usecols=10)
    runs = [
        ("canopy_model (Python)", MODEL_PY, "canopy_model", v2),
        ("scikit-learn (pickle.load + predict)", MODEL_PY, "sklearn", work / "sklearn.pkl"),
    ]
    if ranger:
        runs.append(("ranger (pickle.load + predict)", RANGER_PY, "ranger", ranger))
    if onnx:
        runs.append(("onnxruntime (Python)", MODEL_PY, "onnxruntime", onnx))
    agreement = {}
    for label, python, kind, model in runs:
        result = work / f"predicted-{kind}.npy"
        wall, rss, out = Measured.run([python, "-c", PREDICT[kind], str(model), str(work / "predict.npy"), str(result)])
        load, predict = map(float, out.split())
        predicts[label] = (wall, load, predict, rss)
        got = np.load(result)
        print(f"  {label}: {wall:.2f} s", flush=True)
        if kind in ("sklearn", "ranger"):
            agreement[label] = "(its own forest)"
            continue
        agreement[label] = "identical" if np.array_equal(got, reference) else f"max |Δ| {np.abs(got - reference).max():.3g}"

    lines = [
        f"Friedman #1, {args.rows:,} training rows × 10 features (noise 1.0, seed 0), {args.trees} trees, defaults; "
        f"predict {args.predict_rows:,} other rows. `canopy train` reads {canopy_rows:,} rows and holds out its default "
        f"{TEST_SIZE:.0%} test split, so its trees grow on {args.rows:,} rows, as many as scikit-learn's and ranger's; "
        "its whole process also scores the held-out rows.",
        "",
        "| model | bytes | nodes | bytes / node | vs scikit-learn pickle |",
        "|---|---:|---:|---:|---:|",
    ]
    sk_size = sizes["scikit-learn pickle"][0]
    for label, (size, nodes) in sizes.items():
        lines.append(f"| {label} | {mb(size)} | {nodes:,} | {size / nodes:.2f} | {size / sk_size:.3f}× |")
    lines += [
        "",
        "| load + predict, own process | wall s | load s | predict s | peak RSS | vs scikit-learn wall | predictions vs canopy predict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    sk_wall = predicts["scikit-learn (pickle.load + predict)"][0]

    def cell(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}"

    for label, (wall, load, predict, rss) in predicts.items():
        lines.append(
            f"| {label} | {wall:.2f} | {cell(load)} | {cell(predict)} | {mb(rss)} | {wall / sk_wall:.2f}× | "
            f"{agreement.get(label, 'reference')} |"
        )
    lines += ["", "| training | s | peak RSS |", "|---|---:|---:|"]
    for label, (seconds, rss) in fits.items():
        lines.append(f"| {label} | {seconds:.1f} | {mb(rss)} |")
    cm, sk = predicts["canopy_model (Python)"], predicts["scikit-learn (pickle.load + predict)"]
    canopy_fit = next(seconds for label, (seconds, _) in fits.items() if label.startswith("Canopy (canopy train"))
    lines += [
        "",
        "Ratios:",
        f"- Canopy v2 bytes / node: {sizes['Canopy v2 (model.canopy)'][0] / canopy_nodes:.2f} (target ≤ 16); "
        f"v2 / scikit-learn pickle: {sizes['Canopy v2 (model.canopy)'][0] / sk_size:.3f} (target ≤ 0.25)",
        f"- canopy_model.predict / scikit-learn predict (in process): {cm[2] / sk[2]:.2f}× (target ≤ 2)",
        f"- canopy predict whole process / scikit-learn pickle.load + predict whole process: "
        f"{predicts['canopy predict (CSV in, CSV out)'][0] / sk_wall:.2f}×",
        "- canopy predict peak RSS − model.canopy size: "
        f"{mb(predicts['canopy predict (CSV in, CSV out)'][3] - sizes['Canopy v2 (model.canopy)'][0])} (target ≤ 300 MB)",
        f"- scikit-learn fit / canopy train whole process: {fits['scikit-learn (fit alone, n_jobs=2)'][0] / canopy_fit:.2f}×",
    ]
    lines += [f"- {note}" for note in notes]
    text = "\n".join(lines)
    print("\n" + text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n")


if __name__ == "__main__":
    main()
