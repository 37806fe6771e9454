#!/usr/bin/env bash
# Interleaved A/B/C... of compiled model class directories with TrainSpeed, all at the same thread settings:
#   abn.sh ROUNDS "INTRA INTER" NAME=CLASSES_DIR [NAME=CLASSES_DIR ...]
# Each round runs every variant once (5 warm-up + 30 measured steps, `small`, B=64), in the order given; prints one
# line per run and per variant the median and minimum ms/step. Env: K (model kind, default mgdm), L (sequence
# length, default 64), PR (precision, default fp32). Build a variant by copying model/target/classes after a
# `mvn -o -pl model -am compile` of that version. (ab.sh does two sides with per-side thread settings.)
set -euo pipefail
cd "$(dirname "$0")/../.."
DEPS=$(cat model/target/cp.txt); R=$1; TH=$2; shift 2; export TF_CPP_MIN_LOG_LEVEL=2
K=${K:-mgdm}; L=${L:-64}; PR=${PR:-fp32}
raw=$(mktemp); trap 'rm -f "$raw"' EXIT
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; threads (intra inter) $TH; $K small B=64 L=$L $PR; load before $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$R"); do
  for nv in "$@"; do
    ms=$(java -cp "${nv#*=}:$DEPS" dev.lddm.model.bench.TrainSpeed "$K" small 64 "$L" 5 30 $TH "$PR" 2>/dev/null \
      | grep ms/step | sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/')
    echo "${nv%%=*} round $r: $ms ms/step"
    echo "${nv%%=*} $ms" >> "$raw"
  done
done
python3 - "$raw" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, ms = line.split()
    runs[name].append(float(ms))
for name, x in runs.items():
    print(f"{name}: median {statistics.median(x):.1f} min {min(x):.1f} ms/step over {len(x)} rounds")
PY
