#!/usr/bin/env bash
# Interleaved A/B/C... of compiled model class directories with TrainSpeed:
#   abn.sh ROUNDS "INTRA INTER" NAME=CLASSES_DIR[@INTRA,INTER] [NAME=CLASSES_DIR[@INTRA,INTER] ...]
# Each round runs every variant once (5 warm-up + 30 measured steps, `small`, B=64), in the order given, with the
# shared TensorFlow threads or the variant's own `@INTRA,INTER`; prints one line per run (with the load average)
# and per variant the median and minimum ms/step. Env: K (model kind, default mgdm), L (sequence length, default
# 64), PR (precision, default fp32). Build a variant by copying model/target/classes after a
# `mvn -o -pl model -am compile` of that version. ab.sh is the two-variant form.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEPS=$(cat model/target/cp.txt); R=$1; TH=$2; shift 2; export TF_CPP_MIN_LOG_LEVEL=2
K=${K:-mgdm}; L=${L:-64}; PR=${PR:-fp32}
raw=$(mktemp); trap 'rm -f "$raw"' EXIT
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; threads (intra inter) $TH; $K small B=64 L=$L $PR; load before $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$R"); do
  for nv in "$@"; do
    name=${nv%%=*}; dir=${nv#*=}; th=$TH
    if [[ $dir == *@* ]]; then th=${dir##*@}; th=${th/,/ }; dir=${dir%@*}; fi
    line=$(java -cp "$dir:$DEPS" dev.lddm.model.bench.TrainSpeed "$K" small 64 "$L" 5 30 $th "$PR" 2>/dev/null \
      | grep ms/step)
    ms=$(sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$line")
    echo "$name round $r (threads $th): $ms ms/step, $(sed -E 's/.*(load average.*)/\1/' <<<"$line")"
    echo "$name $ms" >> "$raw"
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
