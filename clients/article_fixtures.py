"""Write the article's requests and the contract's answers as JSON, for the other languages' client tests.

    python clients/article_fixtures.py OUTPUT.json

So that the TypeScript (or any other) test restates nothing: its inputs come
from the article's curl examples, its expected answers from openapi.yaml.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zomro_testkit import article
from zomro_testkit.contract import ARTICLE_OPERATIONS, operations


def fixtures() -> dict[str, object]:
    found: dict[str, object] = {}
    for name, operation_id in ARTICLE_OPERATIONS.items():
        op = operations()[operation_id]
        request = op.request_examples["article"]["value"]  # the article's curl request, typed (tests check it is)
        answer = next(iter(op.response_examples.values()))["value"]
        found[name] = {"request": request, "answer": answer}
    found["images"] = [image.__dict__ for image in article.images()]
    found["badElid"] = {**operations()["unrescueInstance"].request_examples["article"]["value"], "elid": 0}
    return found


if __name__ == "__main__":
    Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
    Path(sys.argv[1]).write_text(json.dumps(fixtures(), indent=2))
