#!/bin/sh
# The requests the emulated API answered, oldest first: the operation,
# its fields (secrets masked) and the answer. Filter with
# ?operation=rescueInstance, ?func=... or ?elid=...
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/journal'
