"""The contract holds the article's facts: its operations, fields, curl requests and images.

Expected facts come from the article's digest (zomro_testkit.article reads it) or,
for what the article does not cover (login, the path keys the contract explains), are
written out here. What is checked is read from openapi.yaml.
"""

from __future__ import annotations

from typing import Any

import pytest
from zomro_testkit import article
from zomro_testkit.contract import ARTICLE_OPERATIONS, operations, resolve, validator

# One path key per function (the contract's description), naming after `#` the fields that select it.
PATH_KEYS = {
    "previewRescueImages": "/#func=instances.fleio.rescue",
    "rescueInstance": "/#func=instances.fleio.rescue&sok=ok",
    "unrescueInstance": "/#func=instances.fleio.unrescue",
    "listInstances": "/#func=instances",
    "logIn": "/#func=auth",
}


def _form_schema(name: str) -> dict[str, Any]:
    return operations()[ARTICLE_OPERATIONS.get(name, name)].request_schema


def _as_decoded(operation: str, form: dict[str, str]) -> dict[str, Any]:
    """A form's string values typed as a form decoder would, by the field's schema."""
    properties = _form_schema(operation)["properties"]
    return {name: int(value) if resolve(properties.get(name, {})).get("type") == "integer" else value for name, value in form.items()}


def test_the_operations_under_their_path_keys() -> None:
    assert {op_id: op.path for op_id, op in operations().items()} == PATH_KEYS


@pytest.mark.parametrize("operation", ["rescue", "unrescue"])
def test_fields_and_required_ness_follow_the_article_table(operation: str) -> None:
    schema = _form_schema(operation)
    table = article.field_table(operation)
    assert {row.name for row in table} <= set(schema["properties"]), "every field of the article's table is in the contract"
    required_in_article = {row.name for row in table if row.required}
    assert set(schema["required"]) == required_in_article


def test_preview_takes_the_rescue_fields_of_its_curl_example_without_sok() -> None:
    schema = _form_schema("preview")
    curl_fields = set(article.curl_example("preview").form)
    assert curl_fields <= set(schema["properties"])
    assert "sok" not in schema["properties"] and schema["additionalProperties"] is False
    required_in_rescue = {row.name for row in article.field_table("rescue") if row.required}
    assert set(schema["required"]) == required_in_rescue & curl_fields


@pytest.mark.parametrize("operation", sorted(ARTICLE_OPERATIONS))
def test_article_curl_request_is_valid(operation: str) -> None:
    op = operations()[ARTICLE_OPERATIONS[operation]]
    example = article.curl_example(operation)
    assert example.url.rstrip("/") == "https://api.zomro.com"
    body = _as_decoded(operation, example.form)
    errors = [e.message for e in validator(op.body_pointer).iter_errors(body)]
    assert not errors, f"the article's {operation} request is rejected by the contract: {errors}"
    assert op.request_examples["article"]["value"] == body, "the contract's `article` example is the article's curl request"


@pytest.mark.parametrize("operation", sorted(ARTICLE_OPERATIONS))
def test_selecting_fields_are_constants_a_caller_never_types(operation: str) -> None:
    schema = _form_schema(operation)
    sent = article.curl_example(operation).form
    for name in ("func", "out", "sok"):
        if name in schema["properties"]:
            field = resolve(schema["properties"][name])
            if name in sent:
                assert name in schema["required"] and field["const"] == field["default"] == sent[name]
            else:
                # Accepted because another client sends it, but never sent by a generated client unasked.
                assert name not in schema["required"] and "default" not in field


def test_mistaken_image_field_of_the_article_is_rejected() -> None:
    op = operations()["rescueInstance"]
    form = article.curl_example("rescue").form
    form[article.mistaken_image_field()] = form.pop("select_boot")
    assert not validator(op.body_pointer).is_valid(_as_decoded("rescue", form))


def test_field_formats() -> None:
    rescue = _form_schema("rescue")["properties"]
    assert resolve(rescue["elid"])["type"] == "integer"
    assert rescue["select_boot"]["format"] == "uuid"
    # The article's zones, and `shr`, the third zone tab of the provider's panel.
    assert rescue["zone"]["enum"] == [*dict.fromkeys(image.zone for image in article.images()), "shr"]
    assert rescue["password"]["format"] == "password" and rescue["password"]["writeOnly"] is True


def _preview_options(list_name: str) -> list[dict[str, str]]:
    doc = operations()["previewRescueImages"].response_examples["preview"]["value"]["doc"]
    (select_list,) = [s for s in doc["slist"] if s["$name"] == list_name]
    return select_list["val"]


def test_preview_example_lists_the_article_images_exactly() -> None:
    images = [
        article.Image(option["$key"], option.get("$name"), option["$"], option["$depend"]) for option in _preview_options("select_boot")
    ]
    assert len(images) == 15
    assert images == article.images()


def test_preview_example_zones() -> None:
    zones = [option["$key"] for option in _preview_options("zone")]
    assert zones == [*dict.fromkeys(image.zone for image in article.images())]
    assert set(zones) < set(resolve(_form_schema("rescue")["properties"]["zone"])["enum"])


def test_login_follows_ispsystem_api_guide() -> None:
    # The article does not cover login; ISPsystem's API guide does (the contract cites it).
    schema = _form_schema("logIn")
    assert resolve(schema["properties"]["func"])["const"] == "auth"
    assert {"func", "out", "username", "password"} <= set(schema["required"])
    session = resolve({"$ref": "#/components/schemas/Session"})
    assert {"$id", "$"} <= set(session["required"])
