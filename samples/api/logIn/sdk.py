"""Log in and get a session id.

With the SDK, zomro_rescue (this project: `pip install .`). Given a
username and password, it logs in by itself on its first call, and again
when the session expires; login() does it now.
"""

from zomro_rescue import RescueClient

API = "https://api.zomro.com/"

with RescueClient(
    API, username="me@example.com", password="Secret123"
) as zomro:
    print(f"session: {zomro.login()}")
