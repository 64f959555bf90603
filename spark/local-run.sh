#!/usr/bin/env bash
# spark/local-run.sh IN_DIR OUT_DIR [options]: the Cutout Spark job in local mode (all cores), for
# a person without a Spark installation and for quick checks. It uses the jars the build already
# fetched and submits the shaded jar with spark-submit, as on a cluster; outputs and manifest are
# the same. Options after OUT_DIR are the job's (--model, --format, --crop, …; --help lists them).
# Set SPARK_MASTER (e.g. local[2]) or SPARK_DRIVER_MEMORY (default 4g) to change those.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/scripts/java-home.sh"

if [ $# -lt 2 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  echo "usage: spark/local-run.sh IN_DIR OUT_DIR [job options]" >&2
  exit 2
fi
in="$1"
out="$2"
shift 2

jar="$here/target/cutout-spark.jar"
stale=""
if [ ! -f "$jar" ] || [ ! -f "$here/target/spark-classpath.txt" ]; then
  stale="yes"
else
  stale=$(find "$root/pom.xml" "$root/core" "$root/models" "$root/onnx" "$here" \
    \( -name target -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -newer "$jar" -print \) \
    2>/dev/null | head -n 1 || true)
fi
if [ -n "$stale" ]; then
  echo "local-run.sh: building the Spark job (first use or sources changed)..." >&2
  (cd "$root" && ./mvnw -q -B install -pl spark -am -DskipTests -Dspotless.check.skip=true >&2)
fi

export SPARK_HOME SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
SPARK_HOME="$("$here/spark-home.sh")"
# Spark writes its scratch files (shuffle, broadcast) here; removed when the job ends
export SPARK_LOCAL_DIRS="${SPARK_LOCAL_DIRS:-${XDG_CACHE_HOME:-$HOME/.cache}/cutout/spark-local}"
tmp="${XDG_CACHE_HOME:-$HOME/.cache}/cutout/tmp"
mkdir -p "$SPARK_LOCAL_DIRS" "$tmp"
exec "$SPARK_HOME/bin/spark-submit" \
  --master "${SPARK_MASTER:-local[*]}" \
  --driver-memory "${SPARK_DRIVER_MEMORY:-4g}" \
  --driver-java-options "-Djava.io.tmpdir=$tmp -XX:+PerfDisableSharedMem" \
  --conf spark.driver.host=127.0.0.1 \
  --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.ui.enabled=false \
  --class dev.cutout.spark.CutoutSparkJob \
  "$jar" --input "$in" --output "$out" "$@"
