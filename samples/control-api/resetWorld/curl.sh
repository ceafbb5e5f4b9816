#!/bin/sh
# Back to the world the mock started with; the journal and the pending
# faults are cleared. Call it before each test that relies on state.
curl --silent --show-error --fail-with-body --request POST \
'http://127.0.0.1:4010/_mock/reset'
