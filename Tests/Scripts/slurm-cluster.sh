#!/bin/bash
# A single-node Slurm (munge + slurmctld + slurmd) on localhost, without
# systemd, for Gyre's Slurm tests and CI.
#   Tests/Scripts/slurm-cluster.sh up     start it; prints `export SLURM_CONF=… GYRE_SLURM_STARTED=1`
#                                         (=0 when a cluster was already up: leave it running)
#   Tests/Scripts/slurm-cluster.sh down   stop what `up` started (by PID)
#   Tests/Scripts/slurm-cluster.sh conf   print the SLURM_CONF line only
# Needs root and Debian's `slurm-wlm munge` (Slurm 22.05, munge 0.5).
# State lives in $GYRE_SLURM_DIR (default /tmp/gyre-slurm).
set -euo pipefail
BASE=${GYRE_SLURM_DIR:-/tmp/gyre-slurm}
export SLURM_CONF="$BASE/slurm.conf"

write_conf() {
  local cpus mem
  cpus=$(nproc)
  # RealMemory must not exceed what slurmd finds, or the node drains.
  mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  cat > "$SLURM_CONF" <<CONF
ClusterName=gyretest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
MailProg=/bin/true
SlurmctldPidFile=$BASE/slurmctld.pid
SlurmdPidFile=$BASE/slurmd.pid
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
SchedulerType=sched/backfill
# Start jobs as soon as they are submitted (default waits ~3 s between
# batches); real clusters have their own settings and Gyre relies on neither.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
# One line per finished job: lets tests check that no task ran twice.
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

up() {
  command -v slurmctld >/dev/null || { echo "slurm-cluster.sh: install slurm-wlm munge first" >&2; exit 1; }
  mkdir -p "$BASE"/{state,spool,log}
  # Already up (someone else's): say so, so their cluster is not stopped by us.
  if [ -n "$(sinfo -h -o %t 2>/dev/null || true)" ]; then
    echo "export SLURM_CONF=$SLURM_CONF GYRE_SLURM_STARTED=0"; return 0
  fi
  write_conf
  # The Debian postinst creates the munge key; make one if it is missing.
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  munge -n >/dev/null 2>&1 || runuser -u munge -- /usr/sbin/munged
  munge -n | unmunge >/dev/null
  slurmctld -i           # -i: ignore errors in old state files
  slurmd -N localhost    # the host name is not `localhost`: name the node explicitly
  for _ in $(seq 1 150); do
    if [ "$(sinfo -h -o %t 2>/dev/null || true)" = idle ]; then
      echo "export SLURM_CONF=$SLURM_CONF GYRE_SLURM_STARTED=1"; return 0
    fi
    sleep 0.2
  done
  echo "slurm did not become idle" >&2
  sinfo -R >&2 || true
  tail -20 "$BASE"/log/*.log >&2 || true
  exit 1
}

# Waits up to 10 s for process $1 to exit, then kills it.
stop_pid() {
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

down() {
  local pids="" f
  for f in "$BASE/slurmctld.pid" "$BASE/slurmd.pid"; do
    [ -s "$f" ] && pids="$pids $(cat "$f")"
  done
  scontrol shutdown >/dev/null 2>&1 || true   # stops slurmctld and slurmd
  for p in $pids; do stop_pid "$p"; done
  if [ -s /run/munge/munged.pid ]; then
    m=$(cat /run/munge/munged.pid)
    kill "$m" 2>/dev/null || true
    stop_pid "$m"
  fi
  echo "slurm down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  conf) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 up|down|conf" >&2; exit 2 ;;
esac
