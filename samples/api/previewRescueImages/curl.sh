#!/bin/sh
# The images instance 5203773 can be rescued with: the rescue
# function without `sok` (a preview). In the answer, doc.slist holds
# the `select_boot` list: each option's $key is an image's UUID, $ its
# OS name and $depend its zone.
curl --location 'https://api.zomro.com/' \
--form 'func="instances.fleio.rescue"' \
--form 'auth="43137b5f35a6ba4ee01f4a4e"' \
--form 'out="json"' \
--form 'elid="5203773"'
