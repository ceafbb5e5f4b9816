"""Leave rescue mode: boot instance 5203773 from its own disk again.

With the SDK, zomro_rescue (this project: `pip install .`). It raises
ApiError when the server refuses (the instance is not rescued, ...).
"""

from zomro_rescue import RescueClient

API = "https://api.zomro.com/"
SESSION = "0b31d69ab7b7b4839dfd6506"  # a login's doc.auth.$id

with RescueClient(API, session=SESSION) as zomro:
    zomro.unrescue(5203773)
    print("instance 5203773 is leaving rescue mode")
