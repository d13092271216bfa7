# Builds the Lambda artifacts for `sam build` (template.yaml: CodeUri . with Metadata BuildMethod: makefile).
# SAM's own Maven builder runs one pom on its own, but functions/ needs shared/ from this multi-module
# build, so the jars are built here from the project root with `mvn -pl functions -am`.

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TARGET := $(ROOT)/functions/target
SOURCES := $(ROOT)/pom.xml $(ROOT)/shared/pom.xml $(ROOT)/functions/pom.xml \
           $(shell find $(ROOT)/shared/src/main $(ROOT)/functions/src/main -type f 2>/dev/null)

.PHONY: build-IngestFunction build-SummaryApiFunction build-RecomputeFunction

# One Maven run builds the three jars (one per function, each with only what its handler loads). A stamp file
# stands for the three (grouped targets need make 4.3), so make runs Maven once per run, and again only when a
# source or pom is newer than the last build.
STAMP := $(TARGET)/lambda-jars.built

$(STAMP): $(SOURCES)
	cd "$(ROOT)" && mvn -B -q -pl functions -am package -DskipTests
	touch "$(STAMP)"

# Lambda's Java runtime loads classes from the root of the artifact, so each jar is unpacked there.
# With the JDK's jar tool, because unzip may be missing on build machines and the JDK is always present.
define unpack
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run this through sam build" >&2; exit 1; }
	cd "$(ARTIFACTS_DIR)" && jar xf "$(1)"
endef

build-IngestFunction: $(STAMP)
	$(call unpack,$(TARGET)/tokenscope-ingest-lambda.jar)

build-SummaryApiFunction: $(STAMP)
	$(call unpack,$(TARGET)/tokenscope-api-lambda.jar)

build-RecomputeFunction: $(STAMP)
	$(call unpack,$(TARGET)/tokenscope-recompute-lambda.jar)
