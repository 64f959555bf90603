#!/usr/bin/env bash
# spark/bench.sh [MODEL]: the Spark job against `cutout remove` on the same images and model.
#
# Each runner processes the 16 composites, then 32 (the 16 twice, under other names), in fresh
# output folders. The difference of the two wall times is 16 images in steady state, so per-image
# cost = (T32 - T16) / 16 and start-up (JVM, Spark session, executors, model session) = T16 - 16 x
# that. Runners: the CLI (one process, 2 inference threads), local[2] (spark/local-run.sh: two
# tasks at once, 1 thread each), and a standalone cluster (spark/standalone.sh) with 1 and with 2
# workers of 1 core each. Also the peak RSS (VmHWM) of every executor JVM, against its heap
# (-Xmx 1g): what spark.executor.memoryOverhead must cover for ONNX Runtime's native memory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/scripts/java-home.sh"
export JAVA_HOME SPARK_LOCAL_IP=127.0.0.1
model="${1:-isnet-uint8}"
work="$(mktemp -d "${TMPDIR:-/tmp}/cutout-spark-bench.XXXXXX")"
trap '"$here/standalone.sh" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

mkdir -p "$work/in16" "$work/in32"
for f in "$root"/testdata/composites/images/*.jpg; do
  cp "$f" "$work/in16/"
  cp "$f" "$work/in32/"
  cp "$f" "$work/in32/again-$(basename "$f")"
done

# builds whatever is stale before anything is timed
"$root/cutout" --version >/dev/null
[ -f "$here/target/cutout-spark.jar" ] || (cd "$root" && ./mvnw -q -B install -pl spark -am -DskipTests)
home="$("$here/spark-home.sh")"

peak_file="$work/peaks"
watch_executors() { # records the last VmHWM seen of every executor JVM until killed
  while true; do
    for pid in $(pgrep -f CoarseGrainedExecutorBackend || true); do
      hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$hwm" ] && echo "$pid $hwm" >>"$peak_file"
    done
    sleep 0.5
  done
}

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }

seconds() { # runs "$@" quietly, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  calc "$end - $start"
}

submit() { # master in out
  "$home/bin/spark-submit" --master "$1" \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.executor.memory=1g \
    --conf "spark.executor.extraJavaOptions=-Djava.io.tmpdir=$here/target/standalone/tmp" \
    --driver-java-options "-Djava.io.tmpdir=$here/target/standalone/tmp" \
    --files "$HOME/.cache/cutout/models/$model.onnx" \
    --class dev.cutout.spark.CutoutSparkJob "$here/target/cutout-spark.jar" \
    --input "$2" -o "$3" --model "$model"
}

declare -A t16 t32
run_pair() { # label command-prefix...
  local label="$1"
  shift
  t16[$label]=$(seconds "$@" "$work/in16" "$work/out-$label-16")
  t32[$label]=$(seconds "$@" "$work/in32" "$work/out-$label-32")
  echo "# $label: 16 images ${t16[$label]} s, 32 images ${t32[$label]} s (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
}

cli() { "$root/cutout" remove "$1" -o "$2" --model "$model" --threads 2; }
local2() { SPARK_MASTER='local[2]' "$here/local-run.sh" "$1" "$2" --model "$model"; }

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); model $model" >&2
run_pair cli cli
run_pair local2 local2
for workers in 1 2; do
  master="$("$here/standalone.sh" start "$workers" 1 3g)"
  : >"$peak_file"
  watch_executors &
  watcher=$!
  run_pair "cluster$workers" submit "$master"
  kill "$watcher"
  wait "$watcher" 2>/dev/null || true
  peak=$(sort -k2 -n "$peak_file" | tail -n 1 | awk '{printf "%.0f", $2/1024}')
  echo "# cluster$workers: peak executor RSS ${peak} MiB with -Xmx1g" >&2
  "$here/standalone.sh" stop >/dev/null
done

printf '%-10s %8s %8s %14s %12s %10s\n' runner T16_s T32_s per_image_ms startup_s vs_cli
cli_per=$(calc "(${t32[cli]} - ${t16[cli]}) / 16")
for r in cli local2 cluster1 cluster2; do
  per=$(calc "(${t32[$r]} - ${t16[$r]}) / 16")
  start=$(calc "${t16[$r]} - 16 * $per")
  printf '%-10s %8.1f %8.1f %14.0f %12.1f %10.3f\n' "$r" "${t16[$r]}" "${t32[$r]}" \
    "$(calc "$per * 1000")" "$start" "$(calc "$per / $cli_per")"
done
