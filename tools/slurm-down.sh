#!/usr/bin/env bash
# Stop the single-node SLURM cluster that tools/slurm-up.sh started.
#
#   sudo tools/slurm-down.sh [STATE_DIR]     (default /tmp/repsim-slurm, as for slurm-up.sh)
#
# Stops only the processes whose PIDs slurm-up.sh wrote to STATE_DIR/<name>.pid, and only while such a
# process is still the daemon named there (so a reused PID is never signalled); never kills by name.
# Before that, jobs still in this cluster's queue are cancelled, so no slurmstepd or job process outlives
# slurmd. STATE_DIR itself (database, logs, configs) is kept, so a later slurm-up.sh starts quickly;
# /etc/slurm/slurm.conf is left in place (clients then just fail to reach slurmctld).
set -euo pipefail

STATE_DIR=${1:-/tmp/repsim-slurm}
WAIT_S=${REPSIM_SLURM_STOP_WAIT_S:-30}   # bound on the wait for each daemon to exit after SIGTERM
DAEMONS=(slurmd slurmctld slurmdbd mariadbd munged)   # reverse of the start order
export PATH=$PATH:/usr/sbin:/sbin

say() { echo "slurm-down: $*"; }

# PID from NAME's pid file if that process is alive and is NAME; empty otherwise.
live_pid() {
  local f=$STATE_DIR/$1.pid pid
  [[ -s $f ]] || return 0
  pid=$(<"$f")
  # A zombie (state Z: exited, not yet reaped by its parent) counts as stopped.
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "$1" ]] || return 0
  [[ $(sed 's/.*) //' /proc/"$pid"/stat 2>/dev/null | cut -c1) == Z ]] || echo "$pid"
  return 0
}

if [[ ! -d $STATE_DIR ]]; then say "no state directory $STATE_DIR; nothing to stop"; exit 0; fi

# Cancel leftover jobs while slurmctld and slurmd still run, then wait (bounded) for the queue to empty.
# The daemons read this cluster's config, not whatever /etc/slurm/slurm.conf holds now.
if [[ -n $(live_pid slurmctld) && -n $(live_pid slurmd) && -f $STATE_DIR/etc/slurm.conf ]]; then
  export SLURM_CONF=$STATE_DIR/etc/slurm.conf
  jobs=$(timeout 10 squeue -h -o %A 2>/dev/null || true)
  if [[ -n $jobs ]]; then
    say "cancelling jobs still queued: $(echo $jobs)"
    # shellcheck disable=SC2086
    timeout 10 scancel $jobs || true
    end=$((SECONDS + 20))   # KillWait=5, so cancelled jobs are gone in ~6 s
    while [[ -n $(timeout 10 squeue -h -o %A 2>/dev/null || true) ]] && (( SECONDS < end )); do sleep 0.5; done
  fi
fi

for d in "${DAEMONS[@]}"; do
  pid=$(live_pid "$d")
  if [[ -z $pid ]]; then
    [[ -e $STATE_DIR/$d.pid ]] && say "$d not running (stale pid file removed)" || say "$d not running"
    rm -f "$STATE_DIR/$d.pid"
    continue
  fi
  kill -TERM "$pid" 2>/dev/null || true
  end=$((SECONDS + WAIT_S))
  while [[ -n $(live_pid "$d") ]] && (( SECONDS < end )); do sleep 0.2; done
  if [[ -n $(live_pid "$d") ]]; then
    say "$d (pid $pid) still running ${WAIT_S}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  if [[ -n $(live_pid "$d") ]]; then
    echo "slurm-down: ERROR: $d (pid $pid) did not exit" >&2
    exit 1
  fi
  rm -f "$STATE_DIR/$d.pid"
  say "stopped $d (pid $pid)"
done
say "down (state kept in $STATE_DIR)"
