"""The account's instances and their status, through the SDK (zomro_rescue, in this project).

instances() reads every page of the list; status(elid) and wait_for(elid, "rescued") follow one instance.
"""

from zomro_rescue import RescueClient

with RescueClient("https://api.zomro.com/", session="43137b5f35a6ba4ee01f4a4e") as zomro:
    for instance in zomro.instances():
        print(instance.elid, instance.status, instance.name)
