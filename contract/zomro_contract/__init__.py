"""The contract, openapi.yaml, and the one reader of it that the mock, the SDK, the generator and the tests share.

`CONTRACT` is the file: in a checkout a link to the project's openapi.yaml, in a
wheel a copy of it.
"""

from pathlib import Path

CONTRACT = Path(__file__).with_name("openapi.yaml")
