#!/bin/sh
# Drop every pending fault: the next calls get the world's answers
# again. Answers 204, no content.
curl --silent --show-error --fail-with-body --request DELETE \
--write-out '%{http_code}\n' 'http://127.0.0.1:4010/_mock/faults'
