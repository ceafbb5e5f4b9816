#!/bin/sh
# The world's time, whether it is frozen, and how far it is from real
# time (offset_seconds: ahead after an advance).
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/clock'
