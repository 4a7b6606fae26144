#!/bin/sh
# Fills 100,000 cases and prints how long /api/stats, /ops and friends take to answer
# (spark.desk.ops.OpsBench; not a test). Set DATABASE_URL (and DATABASE_USER, DATABASE_PASSWORD)
# for PostgreSQL; an in-memory H2 otherwise. An optional argument is the number of cases.
set -e
cd "$(dirname "$0")/.."
mvn -q -o test-compile
mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" spark.desk.ops.OpsBench "$@"
