#!/usr/bin/env bash
# The mock from the shell, for a client in any language: start it, drive it with curl, stop it.
set -euo pipefail
MOCK=${MOCK:-.venv/bin/zomro-rescue-mock}
AUTH=43137b5f35a6ba4ee01f4a4e  # a live session of the mock's default world
WEB_1=5203773

# The files exist before the mock starts: the shell opens a background job's redirections in the job itself, so a
# script reading mock.out at once may find no file yet. The wait for the ready line is bounded (a first start installs
# Prism, a minute or so), and says why it gave up.
START_TIMEOUT=${START_TIMEOUT:-300}
: > mock.out
: > mock.err
"$MOCK" --port 0 --transitions reads:2 > mock.out 2> mock.err &  # port 0: a free one, printed when ready
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true; wait $MOCK_PID 2>/dev/null || true' EXIT
URL=
SECONDS=0
until [ -n "$URL" ]; do
  URL=$(sed -n 's|^Zomro rescue mock: \(http://[^ ]*\)/ .*|\1|p' mock.out)
  [ -n "$URL" ] && break
  if ! kill -0 $MOCK_PID 2>/dev/null; then
    echo "the mock stopped before it was ready; its log (mock.err):" >&2
    cat mock.err >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$START_TIMEOUT" ]; then
    echo "the mock printed no URL within $START_TIMEOUT s (START_TIMEOUT); its log (mock.err):" >&2
    cat mock.err >&2
    exit 1
  fi
  sleep 0.1
done
echo "mock at $URL"
api() { curl --silent --show-error --fail "$URL/" --form out=json --form auth=$AUTH "$@"; }
# An instance's status: the list's elements one a line, the one of WEB_1, its instance_status.
status() {
  api --form func=instances | sed 's/{"id":/\n&/g' | grep "\"id\":{\"\\\$\":\"$WEB_1\"}" |
    grep -o '"instance_status":{"\$":"[a-z_]*"' | cut -d'"' -f6
}

# Images: the preview lists the article's 15.
test "$(api --form func=instances.fleio.rescue --form elid=$WEB_1 | grep -o '"\$depend":"[a-z]*","\$key"' | wc -l)" -eq 15
# A fault: the next rescue is refused as busy; then the rescue goes through.
curl --silent --fail "$URL/_mock/faults" -H 'Content-Type: application/json' -d '{"operation": "rescueInstance", "error": "busy"}' > /dev/null
RESCUE=(--form func=instances.fleio.rescue --form sok=ok --form elid=$WEB_1 --form zone=pub
        --form select_boot=93878ba5-6b9e-4924-a4be-34edb623f808 --form password=MyPassword1)
api "${RESCUE[@]}" | grep -q 'Request in process, please wait'
test "$(api "${RESCUE[@]}")" = '{"doc":{"ok":{}}}'
# Wait: the instance list shows rescuing, then rescued.
test "$(status)" = rescuing
for _ in 1 2 3 4 5; do [ "$(status)" = rescued ] && break; sleep 0.1; done
test "$(status)" = rescued
# The journal: both rescues, the password masked.
JOURNAL=$(curl --silent --fail "$URL/_mock/journal?operation=rescueInstance")
grep -q '"example": "busy"' <<< "$JOURNAL"
grep -q '"example": "ok"' <<< "$JOURNAL"
grep -q '"password": "\*\*\*"' <<< "$JOURNAL"
if echo "$JOURNAL" | grep -q MyPassword1; then echo "the journal shows a password"; exit 1; fi
echo "images, a busy fault, rescue, wait and the journal: all as expected"
