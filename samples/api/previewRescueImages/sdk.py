"""The images instance 5203773 can be rescued with (a preview).

With the SDK, zomro_rescue (this project: `pip install .`).
"""

from zomro_rescue import RescueClient

API = "https://api.zomro.com/"
SESSION = "43137b5f35a6ba4ee01f4a4e"  # a login's doc.auth.$id

with RescueClient(API, session=SESSION) as zomro:
    for image in zomro.images(5203773):
        print(image.uuid, image.zone, image.os_name)
