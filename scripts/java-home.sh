# Sourced by ./cutout, ./test and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is new enough; the newest JDK under /usr/lib/jvm; `java` on the PATH.

cutout_java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

cutout_find_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] &&
    [ "$(cutout_java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    echo "$JAVA_HOME"
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(cutout_java_major "$dir/bin/java")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    echo "$best"
    return 0
  fi
  if command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1 &&
    [ "$(cutout_java_major "$(command -v java)")" -ge 21 ]; then
    dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
    return 0
  fi
  return 1
}

if JAVA_HOME="$(cutout_find_java_home)"; then
  export JAVA_HOME
else
  echo "cutout: needs a JDK 21 or newer; set JAVA_HOME to one" >&2
  exit 1
fi
