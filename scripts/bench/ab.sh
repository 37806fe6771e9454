#!/usr/bin/env bash
# A/B of two compiled model class directories with TrainSpeed, interleaved:
#   ab.sh CLASSES_A CLASSES_B [rounds=5] [precision=fp32] [kind=mgdm]
# (build B e.g. by copying model/target/classes before a change). Prints each run, then min and median per side.
# Env: A_THREADS, B_THREADS ("INTRA INTER", default "1 1"): each side's TensorFlow threads, e.g. what
# `lddm train --threads 2` used before and after a change of Towers.intraOpThreads.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEPS=$(cat model/target/cp.txt); R=${3:-5}; P=${4:-fp32}; K=${5:-mgdm}; export TF_CPP_MIN_LOG_LEVEL=2
declare -A T=([A]="" [B]="")
for r in $(seq 1 "$R"); do
  for v in A B; do
    dir=$1; th=${A_THREADS:-1 1}; [ $v = B ] && dir=$2 && th=${B_THREADS:-1 1}
    ms=$(java -cp "$dir:$DEPS" dev.lddm.model.bench.TrainSpeed "$K" small 64 64 5 20 $th "$P" 2>/dev/null | grep ms/step)
    echo "$v round $r: $(sed -E 's/.*: ([0-9.]+ ms\/step).*(load average.*)/\1, \2/' <<<"$ms")"
    T[$v]+="$(sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$ms") "
  done
done
for v in A B; do
  python3 -c "import statistics,sys; x=[float(a) for a in sys.argv[2].split()]; print(f'{sys.argv[1]} ($P, $K): min {min(x):.1f} median {statistics.median(x):.1f} ms/step')" $v "${T[$v]}"
done
