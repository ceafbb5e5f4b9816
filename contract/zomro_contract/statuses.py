"""What an instance's status (`instance_status.$`) allows, as the contract's InstanceStatus table says.

The table is for people; these sets are it for code, the SDK's waits and the
mock's world alike (a test keeps them equal to the table). A status in none of
them is one the contract does not know: treat it as "wait".
"""

from __future__ import annotations

ACTIVE, STOPPED, RESCUING, RESCUED, UNRESCUING = "active", "stopped", "rescuing", "rescued", "unrescuing"
# A rescue may start from these.
RESCUABLE = frozenset({ACTIVE, STOPPED})
# An action runs: every action about the instance is refused meanwhile ("Request in process, please wait").
BUSY = frozenset(
    {
        "stopping",
        "starting",
        "creating",
        "building",
        "resizing",
        "processing",
        "rebooting",
        RESCUING,
        UNRESCUING,
        "rebuilding",
        "suspending",
        "booting_from_iso",
        "image_uploading",
    }
)
# Settled and held there: only the provider or another action moves the instance on
# (the table's "no rescue until ..." and "contact the provider").
HELD = frozenset({"resized", "booted_from_iso", "suspended", "error"})
