"""The account's instances and their status.

With the SDK, zomro_rescue (this project: `pip install .`). instances()
reads every page of the list; status(elid) and wait_for(elid, "rescued")
follow one instance.
"""

from zomro_rescue import RescueClient

API = "https://api.zomro.com/"
SESSION = "43137b5f35a6ba4ee01f4a4e"  # a login's doc.auth.$id

with RescueClient(API, session=SESSION) as zomro:
    for instance in zomro.instances():
        print(instance.elid, instance.status, instance.name)
