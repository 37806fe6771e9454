#!/usr/bin/env bash
# A/B of two compiled model class directories with TrainSpeed, interleaved (abn.sh with two variants):
#   ab.sh CLASSES_A CLASSES_B [rounds=5] [precision=fp32] [kind=mgdm]
# (build B e.g. by copying model/target/classes before a change). Prints each run, then min and median per side.
# Env: A_THREADS, B_THREADS ("INTRA INTER", default "1 1"): each side's TensorFlow threads, e.g. what
# `lddm train --threads 2` used before and after a change of Towers.intraOpThreads.
set -euo pipefail
a=${A_THREADS:-1 1}; b=${B_THREADS:-1 1}
PR=${4:-fp32} K=${5:-mgdm} exec "$(dirname "$0")/abn.sh" "${3:-5}" "1 1" "A=$1@${a/ /,}" "B=$2@${b/ /,}"
