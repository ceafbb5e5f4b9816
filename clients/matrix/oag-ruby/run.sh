#!/usr/bin/env bash
# OpenAPI Generator ruby, library faraday: generate from $CONTRACT, compile every generated file, run main.rb
# against $ZOMRO_MOCK_URL with Debian's Ruby and Faraday (rubygems is out of reach). Run from the repo root by
# the matrix driver (issue 15) with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${ROOT:?}" "${MATRIX_OUT:?}" "${FIXTURES:?}" "${ZOMRO_MOCK_URL:?}"
CONTRACT=${CONTRACT:-$ROOT/openapi.yaml}
GENERATOR=$ROOT/.venv/bin/openapi-generator-cli  # the PyPI package openapi-generator-cli==7.26.0 (uv.lock)
# Debian 12: Ruby 3.1, Faraday 1.1.0 (its multipart middleware is built in, on multipart-post 2.0; the gemspec's
# faraday-multipart is only required with Faraday 2) and marcel 1.0.1, the generated gemspec's runtime dependencies.
DEBS=(ruby ruby-faraday ruby-marcel)

# Every WARN/ERROR line the generator prints must be one of these (as clients/generate_others.py does), with why:
# - every OpenAPI 3.1 document gets the "beta" notice;
# - an inline oneOf/anyOf (a one-or-many list, the success/error choice) has no $ref to take a name from:
#   ModelUtils logs it and the model is named after its property.
KNOWN='OpenAPI 3\.1 support is still in beta|ModelUtils - Failed to get the schema name: null'

generate() {  # generate GENERATOR_NAME OUTPUT [options...]
  local log=$MATRIX_OUT/generate.log
  "$GENERATOR" generate -i "$CONTRACT" -g "$1" -o "$2" "${@:3}" >"$log" 2>&1 ||
    { cat "$log" >&2; echo "FAIL: openapi-generator $1 failed" >&2; exit 1; }
  if grep -E ' WARN |ERROR' "$log" | grep -vE "$KNOWN" >&2; then
    echo "FAIL: openapi-generator $1 printed the unexpected warnings above" >&2; exit 1
  fi
  echo "ok: generated $1 ($("$GENERATOR" version)) into ${2#"$ROOT"/}"
}

installed() { dpkg-query -W -f='${Status}\n' "${DEBS[@]}" 2>/dev/null | grep -c '^install ok installed$' | grep -qx "${#DEBS[@]}"; }
if ! installed; then
  echo "installing Debian's ${DEBS[*]}"
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${DEBS[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${DEBS[@]}" >/dev/null; }
fi
echo "ok: $(ruby -e 'require "faraday"; print "Ruby #{RUBY_VERSION}, Faraday #{Faraday::VERSION}"')"

# --library faraday: the default library, typhoeus, declares multipart/form-data but sends a body without a file
# urlencoded (see setup.json).
generate ruby "$MATRIX_OUT/client" --library faraday
# Ruby has no type check: every generated file is compiled (syntax), with warnings shown.
find "$MATRIX_OUT/client" -name '*.rb' -print0 |
  xargs -0 ruby -W2 -e 'ARGV.each { |f| RubyVM::InstructionSequence.compile_file(f) }; puts "ok: compiled #{ARGV.size} generated files"'
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL ruby -I "$MATRIX_OUT/client/lib" "$HERE/main.rb"
