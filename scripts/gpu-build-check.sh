#!/usr/bin/env bash
# Exercises the GPU build as far as a machine without a GPU allows: builds a clean copy of the project with
# `mvn -Pgpu` (TensorFlow's linux-x86_64-gpu natives, 526 MB, from Maven Central) and runs the tasks and model
# tests on it. Without CUDA, TensorFlow logs that cuInit failed and runs every op on the CPU, so the tests pass
# on the GPU artifact; that log line is required here as the proof that the GPU natives were the ones loaded.
# Untested on these machines: anything that runs on a GPU (kernels, placement, memory, speed).
# Usage: scripts/gpu-build-check.sh   (takes a few minutes; the copy lives in a temporary directory)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" ls-files -z | grep -zv '^results/' | (cd "$root" && xargs -0 cp --parents -t "$work")
cd "$work"
log="$work/gpu-test.log"
if ! mvn -B -Pgpu -pl model -am test dependency:build-classpath -Dmdep.outputFile=cp.txt >"$log" 2>&1; then
  grep -E "Tests run:|FAIL|ERROR" "$log" | tail -n 20
  echo "gpu-build-check: FAILED (log above)"; exit 1
fi
jar=$(tr ':' '\n' <model/cp.txt | grep tensorflow-core-native || true)
echo "natives: $jar"
case "$jar" in *linux-x86_64-gpu.jar) ;; *) echo "gpu-build-check: the build did not use the GPU natives"; exit 1 ;; esac
grep -m1 -E "cuInit|CUDA" "$log" || { echo "gpu-build-check: no CUDA message: were the GPU natives loaded?"; exit 1; }
grep -E "Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: [0-9]+$" "$log" | sed 's/^\[INFO\] /model+tasks: /'
echo "gpu-build-check: PASS (GPU artifact, CPU fallback)"
