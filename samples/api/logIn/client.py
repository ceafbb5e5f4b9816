"""Log in and get a session id, through the generated client (zomro_rescue_client, in generated/python)."""

from zomro_rescue_client import Client
from zomro_rescue_client.api.session import log_in
from zomro_rescue_client.models import ErrorResult, LoginForm

with Client(base_url="https://api.zomro.com/") as client:
    answer = log_in.sync(client=client, body=LoginForm(username="me@example.com", password="Secret123"))
    if not answer or isinstance(answer, ErrorResult):  # BILLmanager answers errors with HTTP 200 and doc.error
        raise SystemExit(f"refused: {answer.doc.error.msg.text if answer else 'no answer'}")
    print(f"session: {answer.doc.auth.id}")  # send it as `auth`; it lives about an hour after its last use
