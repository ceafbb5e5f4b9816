"""Leave rescue mode: boot instance 5203773 from its own disk again, through the SDK (zomro_rescue, in this project)."""

from zomro_rescue import RescueClient

with RescueClient("https://api.zomro.com/", session="0b31d69ab7b7b4839dfd6506") as zomro:
    zomro.unrescue(5203773)  # raises ApiError when the server refuses (the instance is not in rescue mode, ...)
    print("instance 5203773 is leaving rescue mode")
