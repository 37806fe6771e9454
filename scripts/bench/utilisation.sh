#!/usr/bin/env bash
# Utilisation of the MGDM training step: the step's analytic matrix GFLOP/s (formula in
# dev.lddm.model.bench.Utilisation) against a TF Java 2048^3 MatMul in the same precision, measured alternately
# in one process (1 thread); once per precision (fp32, bf16). The last line compares the fastest step with the
# faster of the two MatMuls (the bf16 one where bf16 is the faster, as on Zen 5; issue goal: >= 60 %).
# Usage: scripts/bench/utilisation.sh [preset=small] [batch=64] [seqLen=64] [rounds=3] [steps=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
export TF_CPP_MIN_LOG_LEVEL=2
mvn -q -B -o -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; load before $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# flags: $(grep -o -w 'avx2\|avx512f\|avx512_bf16\|avx512_fp16\|avx512_vnni\|amx_bf16\|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
out=""
for p in fp32 bf16; do
  o=$(java -cp "model/target/classes:$(cat model/target/cp.txt)" dev.lddm.model.bench.Utilisation "${1:-small}" "${2:-64}" \
    "${3:-64}" "${4:-3}" "${5:-20}" 2048 10 "$p" 2>/dev/null)
  echo "$o"; out+="$o"$'\n'
done
python3 - "$out" <<'PYEOF'
import re, sys
med = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in
       re.finditer(r"median: (\w+) MatMul \S+ ([0-9.]+) GFLOP/s.* = ([0-9.]+) GFLOP/s; utilisation", sys.argv[1])}
# The ceiling is the faster MatMul of the two precisions (bf16 on hosts with fast bf16 units, e.g. Zen 5;
# fp32 on hosts where bf16 runs at half the fp32 rate, e.g. AVX512_BF16 without AMX on Intel).
top = max(med, key=lambda p: med[p][0])
ceiling = med[top][0]
for p, (mm, step) in med.items():
    print(f"{p} step {step:.1f} GFLOP/s = {100 * step / mm:.1f}% of the {p} MatMul ({mm:.1f}), "
          f"{100 * step / ceiling:.1f}% of the faster ({top}) MatMul ({ceiling:.1f})")
best = max(med, key=lambda p: med[p][1])
r = med[best][1] / ceiling
print(f"utilisation of the ceiling = {100 * r:.1f}% (fastest step: {best}; ceiling: the {top} MatMul, the faster one;"
      f" goal >= 60%: {'MET' if r >= 0.6 else 'NOT met'})")
PYEOF
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
