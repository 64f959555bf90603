#!/usr/bin/env bash
# spark/standalone.sh: a Spark standalone cluster on this machine, from the jars the build fetched
# (spark-home.sh): a master and N workers, each its own JVM on 127.0.0.1, as on a real cluster.
#
#   spark/standalone.sh start N [CORES [MEMORY]]   start a master and N workers (default 1 core, 2g
#                                                  each); prints the master URL (spark://…)
#   spark/standalone.sh kill-worker K              SIGKILL worker K (1-based) and its executors,
#                                                  as a lost machine would go
#   spark/standalone.sh stop                       stop everything this script started
#
# Logs, work and temporary folders: spark/target/standalone/ (tmp/ is meant for
# -Djava.io.tmpdir of the jobs' drivers and executors).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/scripts/java-home.sh"
export JAVA_HOME
state="$here/target/standalone"

children_of() { # every descendant pid of $1
  local c
  for c in $(pgrep -P "$1" || true); do
    echo "$c"
    children_of "$c"
  done
}

kill_tree() { # signal pid-and-descendants
  local sig="$1" pid="$2"
  local all
  all="$(children_of "$pid") $pid"
  kill "-$sig" $all 2>/dev/null || true
}

wait_for() { # file pattern count timeout_s
  local i
  for ((i = 0; i < $4 * 5; i++)); do
    if [ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -ge "$3" ]; then
      return 0
    fi
    sleep 0.2
  done
  echo "standalone.sh: timed out waiting for '$2' in $1" >&2
  tail -n 30 "$1" >&2 || true
  return 1
}

case "${1:-}" in
start)
  workers="${2:?usage: standalone.sh start N [CORES [MEMORY]]}"
  cores="${3:-1}"
  memory="${4:-2g}"
  "$0" stop >/dev/null 2>&1 || true
  rm -rf "$state"
  mkdir -p "$state"
  export SPARK_HOME
  SPARK_HOME="$("$here/spark-home.sh")"
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$state/local"
  # the daemons' temporary files (native libraries Spark's codecs unpack) stay in the state folder,
  # also when a JVM is killed; give executors the same through spark.executor.extraJavaOptions
  export SPARK_DAEMON_JAVA_OPTS="-Djava.io.tmpdir=$state/tmp -XX:+PerfDisableSharedMem"
  mkdir -p "$SPARK_LOCAL_DIRS" "$state/tmp"
  nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 0 --webui-port 0 >"$state/master.log" 2>&1 &
  echo $! >"$state/master.pid"
  wait_for "$state/master.log" "Starting Spark master at spark://" 1 60
  url="$(grep -o 'spark://127.0.0.1:[0-9]*' "$state/master.log" | head -n 1)"
  echo "$url" >"$state/master.url"
  for ((k = 1; k <= workers; k++)); do
    mkdir -p "$state/worker-$k"
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port 0 \
      --work-dir "$state/worker-$k" "$url" >"$state/worker-$k.log" 2>&1 &
    echo $! >"$state/worker-$k.pid"
  done
  wait_for "$state/master.log" "Registering worker" "$workers" 90
  echo "$url"
  ;;
kill-worker)
  k="${2:?usage: standalone.sh kill-worker K}"
  kill_tree KILL "$(cat "$state/worker-$k.pid")"
  ;;
stop)
  [ -d "$state" ] || exit 0
  for pidfile in "$state"/worker-*.pid "$state/master.pid"; do
    [ -f "$pidfile" ] || continue
    kill_tree TERM "$(cat "$pidfile")"
  done
  sleep 2
  for pidfile in "$state"/worker-*.pid "$state/master.pid"; do
    [ -f "$pidfile" ] || continue
    kill_tree KILL "$(cat "$pidfile")"
    rm -f "$pidfile"
  done
  ;;
*)
  sed -n '2,12p' "$0" >&2
  exit 2
  ;;
esac
