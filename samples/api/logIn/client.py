"""Log in and get a session id, through the generated client (zomro_rescue_client, in generated/python)."""

from zomro_rescue_client import Client
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import ErrorDoc, LoginForm

with Client(base_url="https://api.zomro.com/") as client:
    answer = log_in.sync(client=client, body=LoginForm(username="me@example.com", password="Secret123"))
    if answer is None:
        raise SystemExit("no answer: the server answered with a status the contract does not document")
    if isinstance(answer.doc, ErrorDoc):  # BILLmanager answers errors with HTTP 200 and doc.error
        raise SystemExit(f"refused: {answer.doc.error.msg.text}")
    print(f"session: {answer.doc.auth.id}")  # send it as `auth`; it lives about an hour after its last use
