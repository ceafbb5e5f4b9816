#!/bin/sh
# The world as it is now: each account, its instances with their status
# now, and its live sessions (masked).
curl --silent --show-error --fail-with-body \
'http://127.0.0.1:4010/_mock/world'
