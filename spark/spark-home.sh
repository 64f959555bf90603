#!/usr/bin/env bash
# spark/spark-home.sh: makes spark/target/spark-home, a SPARK_HOME built from the Spark jars the
# build already fetched (links into ~/.m2, listed in target/spark-classpath.txt by the build), with
# bin/spark-class and bin/spark-submit that work as Spark's own: Spark's launcher
# (org.apache.spark.launcher.Main) builds the command, with the JVM options Spark needs. Prints the
# folder. Used by local-run.sh and by the tests that start a standalone master and workers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/java-home.sh"
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

cat >"$home/conf/log4j2.properties" <<'CONF'
# Warnings and errors, plus the standalone master's and workers' own lines (spark/standalone.sh
# waits for them); the job prints its own summary.
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
CONF

{
echo '#!/usr/bin/env bash'
echo "# the JDK found when this SPARK_HOME was made (scripts/java-home.sh), unless JAVA_HOME is set"
echo "export JAVA_HOME=\"\${JAVA_HOME:-$JAVA_HOME}\""
cat <<'SH'
# As Spark's bin/spark-class: Spark's launcher prints the command (NUL-separated, then its own exit
# code), and this script runs it.
set -euo pipefail
export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export SPARK_SCALA_VERSION=2.13
java="$JAVA_HOME/bin/java"
cmd=()
while IFS= read -r -d '' arg; do
  cmd+=("$arg")
done < <("$java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
# the launcher writes a NUL and a newline before the command, and the script adds the exit code
status=${cmd[${#cmd[@]} - 1]}
if [ "$status" != 0 ]; then
  exit "$status"
fi
cmd=("${cmd[@]:1:${#cmd[@]}-2}")
cmd[0]="${cmd[0]#$'\n'}"
exec "${cmd[@]}"
SH
} >"$home/bin/spark-class"
cat >"$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
# As Spark's bin/spark-submit.
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
chmod +x "$home/bin/spark-class" "$home/bin/spark-submit"
echo "$home"
