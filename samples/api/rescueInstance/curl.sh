#!/bin/sh
# Boot instance 5203773 from a rescue image (its UUID and zone from the
# preview), with a password for the rescue system. The answer is
# {"doc": {"ok": {}}}, or the error document.
curl --location 'https://api.zomro.com/' \
--form 'func="instances.fleio.rescue"' \
--form 'auth="43137b5f35a6ba4ee01f4a4e"' \
--form 'out="json"' \
--form 'elid="5203773"' \
--form 'sok="ok"' \
--form 'select_boot="f8f2573f-56c4-44c5-8469-84eee4aa64e7"' \
--form 'password="MyPassword1"' \
--form 'zone="pub"'
