#!/bin/sh
# The next rescue of instance 5203773 is refused as busy (the contract's
# `busy` example), whatever the world says.
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/faults' \
--header 'Content-Type: application/json' \
--data '{"operation": "rescueInstance", "elid": 5203773, "error": "busy"}'
