#!/usr/bin/env bash
# OpenAPI Generator ruby, library faraday: generate from $CONTRACT, compile every generated file, run main.rb
# against $ZOMRO_MOCK_URL with Debian's Ruby and Faraday (rubygems is out of reach). Run from the repo root by
# the matrix driver (issue 15) with ROOT, CONTRACT, MATRIX_OUT, FIXTURES and ZOMRO_MOCK_URL set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# Debian 12: Ruby 3.1, Faraday 1.1.0 (its multipart middleware is built in, on multipart-post 2.0; the gemspec's
# faraday-multipart is only required with Faraday 2) and marcel 1.0.1, the generated gemspec's runtime dependencies.
DEBS=(ruby ruby-faraday ruby-marcel)

debs "${DEBS[@]}"
echo "ok: $(ruby -e 'require "faraday"; print "Ruby #{RUBY_VERSION}, Faraday #{Faraday::VERSION}"')"

# --library faraday: the default library, typhoeus, declares multipart/form-data but sends a body without a file
# urlencoded (see setup.json).
oag_generate ruby "$MATRIX_OUT/client" --library faraday
# Ruby has no type check: every generated file is compiled (syntax), with warnings shown.
find "$MATRIX_OUT/client" -name '*.rb' -print0 |
  xargs -0 ruby -W2 -e 'ARGV.each { |f| RubyVM::InstructionSequence.compile_file(f) }; puts "ok: compiled #{ARGV.size} generated files"'
FIXTURES=$FIXTURES ZOMRO_MOCK_URL=$ZOMRO_MOCK_URL ruby -I "$MATRIX_OUT/client/lib" "$HERE/main.rb"
