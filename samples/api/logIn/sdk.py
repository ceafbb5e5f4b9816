"""Log in and get a session id, through the SDK (zomro_rescue, in this project).

Given a username and password, the SDK logs in by itself on its first call, and again when the
session expires; login() does it now and returns the session id.
"""

from zomro_rescue import RescueClient

with RescueClient("https://api.zomro.com/", username="me@example.com", password="Secret123") as zomro:
    session = zomro.login()
    print(f"session: {session}")
