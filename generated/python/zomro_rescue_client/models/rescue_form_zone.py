from enum import StrEnum


class RescueFormZone(StrEnum):
    OWN = "own"
    PUB = "pub"

    def __str__(self) -> str:
        return str(self.value)
