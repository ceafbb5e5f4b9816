#!/bin/sh
# Log in: the answer's doc.auth.$id is a session id, to send as `auth`
# in the next requests. It lives about an hour after its last use.
curl --location 'https://api.zomro.com/' \
--form 'func="auth"' \
--form 'out="json"' \
--form 'username="me@example.com"' \
--form 'password="Secret123"'
