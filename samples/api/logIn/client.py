"""Log in and get a session id, to send as `auth` (it lives about an hour
after its last use).

With the generated client, zomro_rescue_client (generated/python).
"""

from zomro_rescue_client import Client
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import ErrorDoc, LoginForm

form = LoginForm(username="me@example.com", password="Secret123")
with Client(base_url="https://api.zomro.com/") as client:
    answer = log_in.sync(client=client, body=form)
    if answer is None:
        raise SystemExit("no answer the contract documents")
    # BILLmanager answers errors with HTTP 200, and doc.error.
    if isinstance(answer.doc, ErrorDoc):
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    print(f"session: {answer.doc.auth.id}")
