#!/bin/sh
# Back to the world the mock started with; the journal and pending faults are cleared. Before each test.
curl --silent --show-error --fail-with-body --request POST 'http://127.0.0.1:4010/_mock/reset'
