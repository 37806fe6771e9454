#!/usr/bin/env bash
# Utilisation of the MGDM training step: TF Java 2048^3 fp32 MatMul GFLOP/s (1 thread) vs the step's analytic
# matrix GFLOP/s (formula in dev.lddm.model.bench.Utilisation), measured alternately in one process.
# Usage: scripts/bench/utilisation.sh [preset=small] [batch=64] [seqLen=64] [rounds=3] [steps=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
export TF_CPP_MIN_LOG_LEVEL=2
mvn -q -B -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; load before $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "model/target/classes:$(cat model/target/cp.txt)" dev.lddm.model.bench.Utilisation "${1:-small}" "${2:-64}" \
  "${3:-64}" "${4:-3}" "${5:-20}" 2>/dev/null
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
