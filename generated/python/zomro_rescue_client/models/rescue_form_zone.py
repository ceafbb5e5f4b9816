from enum import StrEnum


class RescueFormZone(StrEnum):
    OWN = "own"
    PUB = "pub"
    SHR = "shr"

    def __str__(self) -> str:
        return str(self.value)
