#!/bin/sh
# The first page of the account's instances, ten a page, as the
# provider's panel asks for it. Each doc.elem is an instance: its id.$
# and its instance_status.$ (active, rescuing, rescued, ...).
curl --location 'https://api.zomro.com/' \
--form 'func="instances"' \
--form 'out="json"' \
--form 'auth="43137b5f35a6ba4ee01f4a4e"' \
--form 'lang="en"' \
--form 'p_cnt="10"' \
--form 'p_num="1"'
