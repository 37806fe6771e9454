#!/usr/bin/env bash
# Decoding: ours (TF Java through the real Sampler, dev.lddm.model.bench.DecodeSpeed) vs the PyTorch reference
# decoder (scripts/bench/torch_reference.py --decode, the same algorithm), on the same 1,000 Countdown-3 test
# problems, T = 20, `small` preset with freshly initialised weights (speed does not depend on them), batch 256,
# L = 37, run ALTERNATELY in one invocation, at 1 and 2 threads. PyTorch: the faster of fp32 and bf16 autocast,
# under torch.no_grad(). Times are wall seconds of the decoding alone (after a warm-up; no JVM start or graph build).
# Prints each run, per thread setting the median of each configuration and one line
# `ratio ours/pytorch = X` (sum over the configurations of ours / sum of PyTorch's best; issue goal: <= 0.5).
#
# Usage: scripts/bench/decode-vs-pytorch.sh [rounds=1] [count=1000] [threads="1 2"] [models="mgdm lddm"]
#                                           [decoders="masked-only remask"]
# Env: TORCH_BLAS=openblas (default) | system, as scripts/bench/speed-vs-pytorch.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-1}; COUNT=${2:-1000}; THREADS=${3:-"1 2"}; MODELS=${4:-"mgdm lddm"}; DECODERS=${5:-"masked-only remask"}
PY=/usr/bin/python3   # Debian's interpreter: python3-torch is only importable there
export TF_CPP_MIN_LOG_LEVEL=2

mvn -q -B -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
CP="model/target/classes:$(cat model/target/cp.txt)"

TORCH_ENV=()
if [ "${TORCH_BLAS:-openblas}" = openblas ]; then
  OB=target/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread
  if [ ! -e "$OB/libblas.so.3" ]; then
    mkdir -p target/openblas
    (cd target/openblas && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg -x libopenblas0-pthread_*.deb root)
  fi
  TORCH_ENV=(env "LD_LIBRARY_PATH=$PWD/$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
fi
$PY -c 'import torch' 2>/dev/null || $PY scripts/bench/torch_reference.py --help >/dev/null  # installs python3-torch

INPUTS=target/decode-inputs-countdown3-$COUNT.txt
java -cp "$CP" dev.lddm.model.bench.DecodeSpeed count="$COUNT" write-inputs="$INPUTS"

flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU, flags: ${flags}; torch BLAS: ${TORCH_BLAS:-openblas}; load $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=$(mktemp)
for t in $THREADS; do
  for r in $(seq 1 "$ROUNDS"); do
    for m in $MODELS; do
      for dec in $DECODERS; do
        echo "## threads $t, round $r, $m $dec: load before $(cut -d' ' -f1-3 /proc/loadavg)"
        line=$(java -cp "$CP" dev.lddm.model.bench.DecodeSpeed kind="$m" decoder="$dec" count="$COUNT" threads="$t" 2>/dev/null | grep '^ours')
        echo "$line"
        echo "ours $t $m $dec $(sed -E 's/.*: ([0-9.]+) s wall.*/\1/' <<<"$line")" >>"$RESULTS"
        out=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t "${TORCH_ENV[@]}" $PY scripts/bench/torch_reference.py \
              --decode --model "$m" --decoder "$dec" --inputs "$INPUTS" --threads "$t" --precision best)
        grep '^pytorch ' <<<"$out" | grep -v '^pytorch best'
        echo "torch $t $m $dec $(sed -nE 's/^pytorch best: ([0-9.]+) s wall.*/\1/p' <<<"$out")" >>"$RESULTS"
      done
    done
  done
done
$PY - "$RESULTS" <<'PYEOF'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    side, t, m, dec, sec = line.split()
    runs[(side, t, m, dec)].append(float(sec))
for t in sorted({k[1] for k in runs}, key=int):
    configs = sorted({(k[2], k[3]) for k in runs if k[1] == t})
    ours = tot = 0.0
    for m, dec in configs:
        o = statistics.median(runs[("ours", t, m, dec)])
        p = statistics.median(runs[("torch", t, m, dec)])
        ours += o
        tot += p
        print(f"threads {t} {m} {dec}: ours {o:.2f} s, pytorch best {p:.2f} s (medians), ours/pytorch {o / p:.3f}")
    print(f"threads {t}: ratio ours/pytorch = {ours / tot:.3f} (goal <= 0.5: {'MET' if ours / tot <= 0.5 else 'NOT met'})")
PYEOF
rm -f "$RESULTS"
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
