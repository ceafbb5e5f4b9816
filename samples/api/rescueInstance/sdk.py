"""Boot instance 5203773 from a rescue image, through the SDK (zomro_rescue, in this project).

The SDK previews the instance first to find the image's zone; an image may also be named by its OS
name ("Ubuntu 22.04"). It raises ApiError when the server refuses.
"""

from zomro_rescue import RescueClient

with RescueClient("https://api.zomro.com/", session="43137b5f35a6ba4ee01f4a4e") as zomro:
    image = zomro.rescue(5203773, "f8f2573f-56c4-44c5-8469-84eee4aa64e7", password="MyPassword1")
    print(f"instance 5203773 is being rescued with {image.os_name} ({image.uuid}, zone {image.zone})")
