"""Boot instance 5203773 from a rescue image.

With the SDK, zomro_rescue (this project: `pip install .`). It previews
the instance first, to find the image's zone; an image may also be
named by its OS name ("Ubuntu 22.04"). It raises ApiError when the
server refuses.
"""

from zomro_rescue import RescueClient

API = "https://api.zomro.com/"
SESSION = "43137b5f35a6ba4ee01f4a4e"  # a login's doc.auth.$id
IMAGE = "f8f2573f-56c4-44c5-8469-84eee4aa64e7"

with RescueClient(API, session=SESSION) as zomro:
    image = zomro.rescue(5203773, IMAGE, password="MyPassword1")
    print(f"5203773 is being rescued with {image.os_name} ({image.zone})")
