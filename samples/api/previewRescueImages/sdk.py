"""The images instance 5203773 can be rescued with, through the SDK (zomro_rescue, in this project)."""

from zomro_rescue import RescueClient

with RescueClient("https://api.zomro.com/", session="43137b5f35a6ba4ee01f4a4e") as zomro:
    for image in zomro.images(5203773):
        print(image.uuid, image.zone, image.os_name)
