#!/usr/bin/env bash
# Start a single-node SLURM cluster with accounting on this machine, for the SLURM tests.
#
#   sudo tools/slurm-up.sh [STATE_DIR]      (default /tmp/repsim-slurm; stop it with tools/slurm-down.sh)
#
# Daemons: munged, mariadbd, slurmdbd, slurmctld, slurmd. Each runs in foreground mode (-D/-F) sent to the
# background, with its PID in STATE_DIR/<name>.pid, so slurm-down.sh stops exactly what was started here.
# Accounting (slurmdbd + MariaDB) is there because submitit reads job states only through `sacct`: without
# it a job that died outside Python (scancel, time limit, OOM) stays UNKNOWN and result() never returns.
#
# Writes outside STATE_DIR: /etc/slurm/slurm.conf (a copy of STATE_DIR/etc/slurm.conf), because
# sbatch/squeue/sacct read it there and submitit runs them in subprocesses that may not inherit SLURM_CONF;
# a foreign file already there is kept as slurm.conf.repsim-bak. Also /run/munge (munged's socket, where
# SLURM's auth/munge looks for it). The database password stays in STATE_DIR/etc (mode 600).
#
# Exit status: 0 when the cluster is up (or already was), non-zero with a one-line reason otherwise
# (not root, no apt-get, install failed, a daemon did not come up); callers skip SLURM tests with that reason.
set -euo pipefail

STATE_DIR=${1:-/tmp/repsim-slurm}
DB_PORT=${REPSIM_SLURM_DB_PORT:-33306}   # not 3306, so a system MariaDB on this machine does not clash
WAIT_S=${REPSIM_SLURM_WAIT_S:-60}        # bound on each wait for a daemon to answer
DAEMONS=(munged mariadbd slurmdbd slurmctld slurmd)   # start order; slurm-down.sh stops in reverse
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T0=$SECONDS

say() { echo "slurm-up: $*"; }
REASON=""   # the one-line reason for a failure, repeated as the last line of stderr
fail() { REASON=$*; echo "slurm-up: ERROR: $*" >&2; }
die() { fail "$*"; exit 1; }

[[ $(id -u) == 0 ]] || die "must be run as root (it installs packages and starts daemons as root)"
command -v apt-get >/dev/null || die "no apt-get: this script needs a Debian-like system"

# A pid file counts only if its process is alive and is the daemon named (guards against PID reuse).
alive() {  # alive NAME
  local f=$STATE_DIR/$1.pid pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "$1" ]] || return 1
  [[ $(sed 's/.*) //' /proc/"$pid"/stat 2>/dev/null | cut -c1) != Z ]]   # a zombie has exited
}

# --- idempotence -----------------------------------------------------------------------------------------
up=() down=()
for d in "${DAEMONS[@]}"; do if alive "$d"; then up+=("$d"); else down+=("$d"); fi; done
if (( ${#down[@]} == 0 )); then
  say "already up (state in $STATE_DIR: ${up[*]} running); nothing to do"
  exit 0
fi
if (( ${#up[@]} > 0 )); then
  say "partly up (${up[*]} running, ${down[*]} not); stopping those first"
  "$HERE/slurm-down.sh" "$STATE_DIR"
fi

# --- packages --------------------------------------------------------------------------------------------
PKGS=(slurm-wlm munge slurmdbd mariadb-server)
export PATH=$PATH:/usr/sbin:/sbin   # the daemons live in /usr/sbin
need_install=0
for b in munged mariadbd mariadb-install-db slurmdbd slurmctld slurmd sbatch sacct; do
  command -v "$b" >/dev/null || need_install=1
done
if (( need_install )); then
  say "installing ${PKGS[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive   # no debconf prompts
  if ! apt-get install -y -q "${PKGS[@]}" >/tmp/repsim-slurm-apt.log 2>&1; then
    say "install failed; running apt-get update and retrying"
    apt-get update -q >>/tmp/repsim-slurm-apt.log 2>&1 || true
    apt-get install -y -q "${PKGS[@]}" >>/tmp/repsim-slurm-apt.log 2>&1 \
      || { tail -n 20 /tmp/repsim-slurm-apt.log >&2; die "apt-get install ${PKGS[*]} failed (log /tmp/repsim-slurm-apt.log)"; }
  fi
else
  say "packages present"
fi

# --- from here on, a failure stops whatever this run started -----------------------------------------------
LOG=$STATE_DIR/log
MARK=$STATE_DIR/run/start-mark   # touched at start: logs not newer than it are from earlier runs
show_logs() {
  local f
  for f in "$LOG"/*.log "$LOG"/*.out; do
    if [[ -s $f && $f -nt $MARK ]]; then echo "--- tail of $f" >&2; tail -n 15 "$f" >&2; fi
  done
}
on_exit() {
  local rc=$? cmd=$BASH_COMMAND
  (( rc == 0 )) && return 0
  set +e   # errexit applies inside this trap too: nothing here may cut the clean-up short
  [[ -n $REASON ]] || REASON="'$cmd' failed (status $rc)"
  show_logs
  echo "slurm-up: start-up failed (status $rc); stopping the daemons it started" >&2
  "$HERE/slurm-down.sh" "$STATE_DIR" >&2 || true
  echo "slurm-up: ERROR: $REASON (logs in $LOG)" >&2   # last line: the reason, for callers
  exit "$rc"
}
trap on_exit EXIT

# wait_for WHAT CMD...: retry CMD (quietly) for up to WAIT_S seconds.
wait_for() {
  local what=$1 end=$((SECONDS + WAIT_S)); shift
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= end )); then fail "timed out after ${WAIT_S}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

# start NAME CMD...: run CMD in the background in its own session (so a Ctrl-C or a test runner killing
# its process group leaves it alone), with stdin/stdout/stderr off any caller's pipes (else a caller that
# captures output would wait for EOF forever) and in LOG/NAME.out, apart from the log file the daemon
# writes itself (in -D mode SLURM daemons also copy each log line to stderr). Record its PID; CMD must
# exec the daemon itself (no fork), so that $! is the daemon.
start() {
  local name=$1; shift
  setsid "$@" </dev/null >>"$LOG/$name.out" 2>&1 &
  echo $! >"$STATE_DIR/$name.pid"
  sleep 0.2
  alive "$name" || { fail "$name exited at once (or PID $! is not $name)"; return 1; }
  say "started $name (pid $!)"
}

say "state directory $STATE_DIR"
# 0755 on the top: mariadbd runs as mysql and must reach its data dir and socket under it.
mkdir -p "$STATE_DIR" "$STATE_DIR/etc" "$LOG" "$STATE_DIR/run" "$STATE_DIR/state" "$STATE_DIR/spool" \
         "$STATE_DIR/mysql" "$STATE_DIR/mysqld"
chmod 0755 "$STATE_DIR"
chmod 0700 "$STATE_DIR/etc"                           # holds the database password
chown mysql:mysql "$STATE_DIR/mysql" "$STATE_DIR/mysqld"
touch "$MARK"

# --- munge -----------------------------------------------------------------------------------------------
# The package creates /etc/munge/munge.key owned by munge; munged refuses it when run as root ("Keyfile is
# insecure"), so it runs as the munge user. /run/munge does not exist without systemd/tmpfiles.
if [[ ! -s /etc/munge/munge.key ]]; then
  say "creating /etc/munge/munge.key"
  mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
fi
install -d -o munge -g munge -m 0755 /run/munge
# setpriv execs munged (unlike su/runuser, which fork), so $! is munged's PID; -F keeps it in the foreground.
start munged setpriv --reuid=munge --regid=munge --init-groups munged -F
wait_for "munged" munge -n

# --- MariaDB ---------------------------------------------------------------------------------------------
# No --log-error: mariadbd (running as mysql) cannot create a file in the root-owned LOG dir (errno 13) and
# logs to stderr instead, i.e. to LOG/mariadbd.out.
# --no-defaults everywhere: ignore /etc/mysql/*.cnf, so nothing here touches a system MariaDB's socket,
# pid file, data dir or port. TCP on 127.0.0.1:$DB_PORT for slurmdbd (its mysql plugin has no socket option).
MYSOCK=$STATE_DIR/mysqld/mysqld.sock
if [[ ! -d $STATE_DIR/mysql/mysql ]]; then
  say "initialising MariaDB data dir $STATE_DIR/mysql"
  mariadb-install-db --no-defaults --user=mysql --datadir="$STATE_DIR/mysql" \
    --auth-root-authentication-method=socket --skip-test-db >"$LOG/mariadb-install.log" 2>&1
fi
# innodb_lock_wait_timeout=900 and a bigger log file: slurmdbd's recommended values (it warns otherwise;
# harmless either way). performance_schema off: saves memory on a small machine.
start mariadbd mariadbd --no-defaults --user=mysql --datadir="$STATE_DIR/mysql" \
  --socket="$MYSOCK" --pid-file="$STATE_DIR/mysqld/mariadbd.pid" \
  --bind-address=127.0.0.1 --port="$DB_PORT" --skip-name-resolve \
  --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --innodb-lock-wait-timeout=900 \
  --performance-schema=OFF
wait_for "mariadbd" mariadb-admin --no-defaults --socket="$MYSOCK" -u root ping

# One password per state dir, kept with its data (mode 600), reused on later starts.
PASSFILE=$STATE_DIR/etc/db.pass
[[ -s $PASSFILE ]] || (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$PASSFILE")
DBPASS=$(<"$PASSFILE")
say "creating database slurm_acct_db and user slurm"
# Both hosts: with --skip-name-resolve a TCP client from 127.0.0.1 matches 'slurm'@'127.0.0.1'.
mariadb --no-defaults --socket="$MYSOCK" -u root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DBPASS';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DBPASS';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$DBPASS';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$DBPASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL

# --- SLURM configuration (all written before any SLURM daemon starts) ---------------------------------------
# The node's size as slurmd itself sees it, so slurmd does not drain the node for a mismatch.
HW=$(slurmd -C | head -n 1)
CPUS=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$HW")
MEM=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$HW")
[[ -n $CPUS && -n $MEM ]] || die "could not read CPUs/RealMemory from 'slurmd -C': $HW"

cat >"$STATE_DIR/etc/slurmdbd.conf" <<EOF
# Written by repsim_nb tools/slurm-up.sh. slurmdbd finds it next to \$SLURM_CONF ($STATE_DIR/etc).
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
LogFile=$LOG/slurmdbd.log
PidFile=$STATE_DIR/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$DBPASS
StorageLoc=slurm_acct_db
EOF
chmod 0600 "$STATE_DIR/etc/slurmdbd.conf"   # slurmdbd refuses a config others can read (it holds the password)

cat >"$STATE_DIR/etc/slurm.conf" <<EOF
# Written by repsim_nb tools/slurm-up.sh for a single-node test cluster; state under $STATE_DIR.
# Also copied to /etc/slurm/slurm.conf, where sbatch/squeue/sacct look for it.
ClusterName=repsim
SlurmctldHost=localhost
# Everything runs as root: no slurm user or file ownership to set up.
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# No systemd/cgroups here: track job processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Hand out single CPUs, so two 1-CPU jobs run side by side on the 2-CPU machine.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# No PMIx (avoids "can not load PMIx library" on every srun).
MpiDefault=none
# A cancelled job is SIGKILLed 5 s after SIGTERM (submitit's job script ignores SIGTERM) instead of 30 s.
KillWait=5
# The node comes back by itself after a restart instead of staying DOWN.
ReturnToService=2
# No mail from this box.
MailProg=/bin/true
# Job states go to slurmdbd, which is what sacct (and so submitit) reads.
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
# State, spool, logs and pid files all under the state directory.
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/run/slurmctld.pid
SlurmdPidFile=$STATE_DIR/run/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# One node, reached over loopback; slurmd is started with -N localhost to match.
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

mkdir -p /etc/slurm
if [[ -e /etc/slurm/slurm.conf ]] && ! grep -q 'repsim_nb tools/slurm-up.sh' /etc/slurm/slurm.conf; then
  say "keeping the existing /etc/slurm/slurm.conf as /etc/slurm/slurm.conf.repsim-bak"
  cp -p /etc/slurm/slurm.conf /etc/slurm/slurm.conf.repsim-bak
fi
cp "$STATE_DIR/etc/slurm.conf" /etc/slurm/slurm.conf
chmod 0644 /etc/slurm/slurm.conf
say "wrote $STATE_DIR/etc/slurm.conf, $STATE_DIR/etc/slurmdbd.conf and /etc/slurm/slurm.conf ($CPUS CPUs, $MEM MB)"

# Daemons read the copy in STATE_DIR; slurmdbd then reads slurmdbd.conf from the same directory.
export SLURM_CONF=$STATE_DIR/etc/slurm.conf

# --- SLURM daemons ---------------------------------------------------------------------------------------
# slurmdbd first: slurmctld registers the cluster with it on start-up.
start slurmdbd slurmdbd -D
wait_for "slurmdbd" sacctmgr -n list cluster
start slurmctld slurmctld -D
wait_for "slurmctld" scontrol ping
start slurmd slurmd -D -N localhost

node_idle() { [[ $(sinfo -h -N -n localhost -o %t 2>/dev/null) == idle ]]; }
wait_for "the node to be idle (sinfo)" node_idle
wait_for "sacct" sacct -n -X
say "node idle, sacct answers"

# --- smoke test ------------------------------------------------------------------------------------------
out=$(timeout 30 srun -N1 hostname)
say "srun -N1 hostname -> $out"
say "up in $((SECONDS - T0)) s (state $STATE_DIR, logs $LOG; stop with tools/slurm-down.sh $STATE_DIR)"
