#!/bin/sh
# Leave rescue mode: boot instance 5203773 from its own disk again.
# As in the article, no `sok`. The answer is {"doc": {"ok": {}}}, or
# the error document.
curl --location 'https://api.zomro.com/' \
--form 'func="instances.fleio.unrescue"' \
--form 'auth="0b31d69ab7b7b4839dfd6506"' \
--form 'out="json"' \
--form 'elid="5203773"'
