#!/bin/sh
# Forget every request received so far; the world and the faults stay
# as they are. Answers 204, no content.
curl --silent --show-error --fail-with-body --request DELETE \
--write-out '%{http_code}\n' 'http://127.0.0.1:4010/_mock/journal'
