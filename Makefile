# Builds the Lambda artifacts for `sam build` (template.yaml: CodeUri . with Metadata BuildMethod: makefile).
# SAM's own Maven builder runs one pom on its own, but functions/ needs shared/ from this multi-module
# build, so the jar is built here from the project root with `mvn -pl functions -am`.

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
JAR := $(ROOT)/functions/target/tokenscope-functions-lambda.jar
SOURCES := $(ROOT)/pom.xml $(ROOT)/shared/pom.xml $(ROOT)/functions/pom.xml \
           $(shell find $(ROOT)/shared/src/main $(ROOT)/functions/src/main -type f 2>/dev/null)

.PHONY: build-IngestFunction build-SummaryApiFunction build-RecomputeFunction

# The three functions share one shaded jar (only their handlers differ): a file target, so make builds it
# once per run, and again only when a source or pom is newer than the jar.
$(JAR): $(SOURCES)
	cd "$(ROOT)" && mvn -B -q -pl functions -am package -DskipTests

# Lambda's Java runtime loads classes from the root of the artifact, so the shaded jar is unpacked there.
# With the JDK's jar tool, because unzip may be missing on build machines and the JDK is always present.
build-IngestFunction build-SummaryApiFunction build-RecomputeFunction: $(JAR)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run this through sam build" >&2; exit 1; }
	cd "$(ARTIFACTS_DIR)" && jar xf "$(JAR)"
