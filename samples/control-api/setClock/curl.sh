#!/bin/sh
# Freeze the world's clock at a date: from now on only an advance moves
# it, and the journal's stamps are the same on every run. A reset lets
# it run again; {"frozen": false} does too, from where it stands.
curl --silent --show-error --fail-with-body --request PUT \
'http://127.0.0.1:4010/_mock/clock' \
--header 'Content-Type: application/json' \
--data '{"frozen": true, "now": "2026-01-01T00:00:00Z"}'
