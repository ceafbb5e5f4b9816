#!/usr/bin/env bash
# oag-java: OpenAPI Generator's `java` client (library native: java.net.http, Jackson, httpmime), compiled
# with Debian's jars and javac 17 (no Maven), and RescueCheck.java run against the mock.
#
# What a user copies (setup.json's workaround):
# - templates/libraries/native/: ApiClient.mustache and JSON.mustache are the generator's own, less the lines
#   that register JavaTimeModule (jackson-datatype-jsr310, which Debian does not package; the contract has no
#   date-time); additional_properties.mustache is the generator's own partial plus a creator that makes
#   Jackson check `required`, without which no oneOf answer can be read (both branches match).
#   This script checks that they differ from the generator's by exactly those lines.
# - openapi-generator-ignore: the two RFC 3339 java.time classes, which need jsr310 too.
# - --schema-mappings of the four one-or-many schemas to Jackson's JsonNode: their anyOf/oneOf models do not
#   compile (`List<SelectOption>.class`, OpenAPI Generator issue 12911); the program reads each item as the
#   generated SelectOption.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
PYTHON="$ROOT/.venv/bin/python"

# Debian's JDK and jars, by package name (Debian 12: Jackson 2.14, HttpComponents 4.5, Jakarta Annotations 2.1).
DEBS=(openjdk-17-jdk-headless libjackson2-core-java libjackson2-databind-java libjackson2-annotations-java
      libhttpclient-java libhttpcore-java libhttpmime-java libjakarta-annotation-api-java libcommons-logging-java)
JARS=(jackson-core jackson-databind jackson-annotations httpclient httpcore httpmime jakarta-annotation-api commons-logging)
step "Debian packages"
debs "${DEBS[@]}"
CLASSPATH_JARS="$(printf '/usr/share/java/%s.jar:' "${JARS[@]}")"
CLASSPATH_JARS="${CLASSPATH_JARS%:}"

step "templates: the generator's own, less or plus exactly the documented lines"
"$PYTHON" - "$GENERATOR" "$HERE/templates/libraries/native" <<'EOF'
import difflib, sys, zipfile
from pathlib import Path
import openapi_generator_cli
jar = zipfile.ZipFile(Path(openapi_generator_cli.__file__).with_name("openapi-generator.jar"))
ours = Path(sys.argv[2])
# Lines our copies drop from the generator's ApiClient/JSON templates, and nothing else.
dropped = {"import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;", "mapper.registerModule(new JavaTimeModule());",
           "mapper.registerModule(new RFC3339JavaTimeModule());", ".addModule(new JavaTimeModule())"}
for name in ("ApiClient.mustache", "JSON.mustache", "additional_properties.mustache"):
    theirs = jar.read(f"Java/libraries/native/{name}").decode().splitlines()
    mine = (ours / name).read_text().splitlines()
    diff = [line for line in difflib.ndiff(theirs, mine) if line[:2] in ("- ", "+ ")]
    if name == "additional_properties.mustache":
        ok = mine[: len(theirs)] == theirs  # the generator's partial, then our lines after it
    else:
        ok = all(line.startswith("- ") and line[2:].strip() in dropped for line in diff)
    if not ok:
        sys.exit(f"FAIL: templates/libraries/native/{name} is no longer the generator's own with the documented change:\n"
                 + "\n".join(diff[:20]))
EOF

step "generate (OpenAPI Generator, java --library native)"
# The one-or-many schemas, by the names the generator gives them (an inline anyOf gets <Schema>_<property>).
mappings=""
for schema in SelectList_val ErrorDetail_param InstanceListDoc_elem Instance_createdate; do
  mappings+="${mappings:+,}$schema=com.fasterxml.jackson.databind.JsonNode"
done
oag_generate java "$MATRIX_OUT/client" --library native \
  -t "$HERE/templates" --ignore-file-override "$HERE/openapi-generator-ignore" \
  --additional-properties=invokerPackage=com.zomro.rescue,apiPackage=com.zomro.rescue.api,modelPackage=com.zomro.rescue.model,openApiNullable=false,useJakartaEe=true,supportUrlQuery=false,hideGenerationTimestamp=true \
  --schema-mappings "$mappings"

# javac's lint, as errors: all of it for the program; for the generated code all but `serial` (its
# oneOf serializers have no serialVersionUID) and `path` (Debian's jar manifests name optional jars).
step "javac the generated client"
mkdir -p "$MATRIX_OUT/classes" "$MATRIX_OUT/check"
find "$MATRIX_OUT/client/src/main/java" -name '*.java' >"$MATRIX_OUT/sources.txt"
javac --release 17 -Xlint:all,-serial,-path -Werror -encoding UTF-8 -d "$MATRIX_OUT/classes" -cp "$CLASSPATH_JARS" @"$MATRIX_OUT/sources.txt"
step "javac RescueCheck.java"
javac --release 17 -Xlint:all,-path -Werror -encoding UTF-8 -d "$MATRIX_OUT/check" -cp "$MATRIX_OUT/classes:$CLASSPATH_JARS" "$HERE/RescueCheck.java"

step "run against $ZOMRO_MOCK_URL"
FIXTURES="$FIXTURES" ZOMRO_MOCK_URL="$ZOMRO_MOCK_URL" java -cp "$MATRIX_OUT/check:$MATRIX_OUT/classes:$CLASSPATH_JARS" RescueCheck
step "done"
