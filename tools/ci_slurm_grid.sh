#!/usr/bin/env bash
# CI check of the SLURM path end to end: `repsim grid --executor slurm` runs a small grid on the local cluster
# (tools/slurm-up.sh), then the results store is checked: every experiment done, run by a SLURM array task,
# summary complete; a second submission submits nothing. Prints PASS or FAIL as its last line; exit status 0 or 1.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=$(mktemp -d)/grid
trap 'rm -rf "$(dirname "$OUT")"' EXIT
args=(grid --models minilm --datasets demo demo:food --poolings mean cls --num-samples 64 --measures cka rsa
      --executor slurm --max-parallel 2 --time-min 10 --out "$OUT" --no-progress --poll-s 1)
start=$SECONDS
if ! timeout 600 "$BIN/repsim" "${args[@]}"; then echo "FAIL  slurm grid: repsim grid --executor slurm failed"; exit 1; fi
echo "grid on SLURM took $((SECONDS - start)) s"
"$BIN/repsim" status "$OUT" || { echo "FAIL  slurm grid: repsim status reports unfinished experiments"; exit 1; }
"$BIN/python" - "$OUT" <<'PY' || { echo "FAIL  slurm grid: results store check"; exit 1; }
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
summary = json.loads((out / "summary.json").read_text())
assert summary["counts"] == {"done": 4}, summary["counts"]
for row in summary["experiments"]:
    meta = json.loads((out / row["name"] / "metadata.json").read_text())
    assert meta["slurm_job_id"] and "_" in meta["slurm_job_id"], meta["slurm_job_id"]  # an array task
    assert all((out / row["name"] / f).exists() for f in meta["files"])
assert not list(out.glob(".*.tmp-*")), "temporary folders left"
print("results store: 4 experiments done by SLURM array tasks", sorted(json.loads((out / r["name"] / "metadata.json").read_text())["slurm_job_id"] for r in summary["experiments"]))
PY
again=$("$BIN/repsim" "${args[@]}" --dry-run) || { echo "FAIL  slurm grid: dry run"; exit 1; }
grep -q "0 to run, 4 already done" <<<"$again" || { echo "FAIL  slurm grid: a resubmission would rerun finished work"; echo "$again"; exit 1; }
echo "PASS  slurm grid (tools/ci_slurm_grid.sh)"
