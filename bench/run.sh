#!/usr/bin/env bash
# The benchmark of issue 8: bench/run.sh [options] [JAR ...] (default target/cancellation-desk.jar).
# Give every build to compare in ONE run (figures only compare within a run):
#   bench/run.sh /path/to/old.jar target/cancellation-desk.jar
# Options: --burst N --steady-seconds S --steady-rate R --delay-ms D --cases M --final-burst K
#          --xmx 128m --concurrency C --backlog B --rounds R --keep   (see README, "Performance")
# The driver needs the JDK only (javac, java, jcmd, jstat); it is compiled here into a temporary
# directory, so the project's target/ is left alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -nowarn -d "$classes" "$root"/src/test/java/spark/desk/bench/*.java
cd "$root"
java ${BENCH_URL_SUFFIX:+-Dbench.urlSuffix=$BENCH_URL_SUFFIX} -Dclk.tck="$(getconf CLK_TCK 2>/dev/null || echo 100)" -cp "$classes" spark.desk.bench.Benchmark "$@"
