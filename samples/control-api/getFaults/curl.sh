#!/bin/sh
# The faults still pending, in the order they were added, with the
# calls each still applies to.
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/faults'
