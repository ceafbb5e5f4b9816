#!/bin/sh
# An hour and a second passes in the world at once: every session idle
# since its last request expires (the default idle time is an hour), and
# a `seconds:N` transition whose time has come settles.
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/clock/advance' \
--header 'Content-Type: application/json' \
--data '{"seconds": 3601}'
