#!/usr/bin/env bash
# A single-node Slurm on this machine, from Debian's packages: a controller and one compute node, as root,
# talking over 127.0.0.1 only. For scripts/slurm/test-sweep.sh and for trying the emitted sbatch scripts.
#
#   scripts/slurm/local-cluster.sh up      install (apt-get) if needed, start munged, slurmctld, slurmd
#   scripts/slurm/local-cluster.sh down    stop what `up` started (by process id)
#   scripts/slurm/local-cluster.sh env     print the line that points the Slurm commands at it
#
# Everything of this cluster lives in $LDDM_SLURM_DIR (default /tmp/lddm-slurm): slurm.conf, state, spool,
# logs and pid files; /etc/slurm is not touched. Its ports ($LDDM_SLURM_PORT, default 16817, and the next
# one) are not Slurm's usual ones, so it does not meet another Slurm on the machine. The Slurm commands
# find it through SLURM_CONF: run `eval "$(scripts/slurm/local-cluster.sh env)"` first.
set -euo pipefail

dir="${LDDM_SLURM_DIR:-/tmp/lddm-slurm}"
port="${LDDM_SLURM_PORT:-16817}"
conf="$dir/slurm.conf"
host="$(hostname -s)"

die() { echo "local-cluster: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then
    return
  fi
  echo "local-cluster: installing slurm-wlm and munge (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; }
}

start_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 0700 /etc/munge
  chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    return # a munged already runs (ours from an earlier `up`, or the machine's)
  fi
  munged --force 2>>"$dir/munged.err" || die "munged did not start (see $dir/munged.err)"
  # munged writes its pid file; remember that this script started it, so that `down` stops it.
  for _ in $(seq 1 50); do
    [ -s /run/munge/munged.pid ] && break
    sleep 0.1
  done
  cp /run/munge/munged.pid "$dir/munged.pid"
  munge -n | unmunge >/dev/null || die "munge does not work (munge -n | unmunge)"
}

write_conf() {
  local cpus mem
  cpus="$(nproc)"
  mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  cat > "$conf" <<EOF
# Written by scripts/slurm/local-cluster.sh: one node, localhost only.
ClusterName=lddm-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
KillWait=10
InactiveLimit=0
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

up() {
  [ "$(id -u)" = 0 ] || die "run it as root (slurmd starts jobs as their users)"
  install
  mkdir -p "$dir"
  if alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid"; then
    echo "local-cluster: already up ($conf)" >&2
  else
    down quiet
    start_munge
    write_conf
    export SLURM_CONF="$conf"
    slurmctld -c -f "$conf" || die "slurmctld did not start (see $dir/log/slurmctld.log)"
    slurmd -f "$conf" || die "slurmd did not start (see $dir/log/slurmd.log)"
  fi
  export SLURM_CONF="$conf"
  for _ in $(seq 1 60); do
    state="$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)"
    case "$state" in
      idle*|mix*|alloc*) echo "local-cluster: up: node $host $state, partition debug (SLURM_CONF=$conf)" >&2; return ;;
    esac
    sleep 0.5
  done
  die "the node did not come up (sinfo: '${state:-nothing}'; see $dir/log/)"
}

down() {
  local quiet="${1:-}"
  for d in slurmd slurmctld munged; do
    local f="$dir/$d.pid"
    if alive "$f"; then
      local pid
      pid="$(cat "$f")"
      kill "$pid"
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      [ -z "$quiet" ] && echo "local-cluster: stopped $d ($pid)" >&2
    fi
    rm -f "$f"
  done
  return 0
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
