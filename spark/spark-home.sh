#!/usr/bin/env bash
# spark/spark-home.sh: makes spark/target/spark-home, a SPARK_HOME built from the Spark jars the
# build already fetched (links into ~/.m2, listed in target/spark-classpath.txt by the build), with
# bin/spark-class and bin/spark-submit that work as Spark's own: Spark's launcher
# (org.apache.spark.launcher.Main) builds the command, with the JVM options Spark needs. Prints the
# folder. Used by local-run.sh and by the tests that start a standalone master and workers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/target/spark-classpath.txt"
home="$here/target/spark-home"
if [ ! -f "$list" ]; then
  echo "spark-home.sh: $list is missing; build the spark module first" >&2
  exit 1
fi
if [ ! -f "$home/jars/.complete" ] || [ "$list" -nt "$home/jars/.complete" ]; then
  rm -rf "$home/jars"
  mkdir -p "$home/jars" "$home/bin" "$home/conf"
  tr ':' '\n' <"$list" | while IFS= read -r jar; do
    [ -n "$jar" ] && ln -s "$jar" "$home/jars/$(basename "$jar")"
  done
  touch "$home/RELEASE" "$home/jars/.complete"
fi

cat >"$home/bin/spark-class" <<'SH'
#!/usr/bin/env bash
# As Spark's bin/spark-class: Spark's launcher prints the command (NUL-separated, then its own exit
# code), and this script runs it.
set -euo pipefail
export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export SPARK_SCALA_VERSION=2.13
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cmd=()
while IFS= read -r -d '' arg; do
  cmd+=("$arg")
done < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
last=$((${#cmd[@]} - 1))
status=${cmd[$last]}
if [ "$status" != 0 ]; then
  exit "$status"
fi
unset 'cmd[last]'
exec "${cmd[@]}"
SH
cat >"$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
# As Spark's bin/spark-submit.
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
chmod +x "$home/bin/spark-class" "$home/bin/spark-submit"
echo "$home"
