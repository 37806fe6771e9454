#!/usr/bin/env bash
# Peak resident memory of training (MGDM, B=64, L=64, 1 thread) for the small and tiny presets in fp32 and bf16:
# the JVM's VmHWM (/proc/self/status) at the end of dev.lddm.model.bench.TrainSpeed (graph build, warm-up and
# measured steps, through the real Trainer with its final checkpoint), and /usr/bin/time's maximum RSS when
# that tool exists. The JVM runs with its default heap (a quarter of the machine's memory).
# Usage: scripts/bench/peak-rss.sh [steps=10] [presets="small tiny"]
set -euo pipefail
cd "$(dirname "$0")/../.."
export TF_CPP_MIN_LOG_LEVEL=2
STEPS=${1:-10}; PRESETS=${2:-small tiny}
mvn -q -B -o -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
CP="model/target/classes:$(cat model/target/cp.txt)"
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU, $(free -g | awk '/Mem:/ {print $2}') GiB; load before $(cut -d' ' -f1-3 /proc/loadavg)"
TIME=(); [ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "time: max RSS %M KiB")
for preset in $PRESETS; do
  for p in fp32 bf16; do
    out=$("${TIME[@]}" java -cp "$CP" dev.lddm.model.bench.TrainSpeed mgdm "$preset" 64 64 2 "$STEPS" 1 1 "$p" 2>&1 \
      | grep -E 'ms/step|^time:') || out=""
    if [ -z "$out" ]; then echo "peak RSS mgdm $preset $p = FAILED (TrainSpeed did not finish)"; continue; fi
    rss=$(sed -nE 's/.*peak RSS ([0-9]+ MiB).*/\1/p' <<<"$out")
    echo "$out"
    echo "peak RSS mgdm $preset $p = $rss"
  done
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
