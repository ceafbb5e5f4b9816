"""Worlds in and out: a `--world` file or a `PUT /_mock/world` body in, the state as `GET /_mock/world` shows it out.

The format is the control API's `World` schema (control-api.yaml, beside this
module); a world that breaks it, or the rules a schema cannot say (an
instance ID used twice), is a WorldError naming the place and the problem in
one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from zomro_contract.schemas import Schemas

from . import documents
from .clock import ClockStart, parse_rfc3339, rfc3339
from .redact import MASK
from .world import Account, Image, Instance, Session, Timing, World

CONTROL_API = Path(__file__).with_name("control-api.yaml")
OWN_ZONE = "own"
YAMLError = yaml.YAMLError


class WorldError(Exception):
    """A world that cannot be loaded; the message is one line: where, and what is wrong."""


@cache
def control_api() -> Schemas:
    """The control API's document, whose schemas say what a world, a fault and a journal are."""
    return Schemas(yaml.safe_load(CONTROL_API.read_text(encoding="utf-8")), integers_written_whole=True)


def _place(path: Any) -> str:
    place = ""
    for step in path:
        place += f"[{step}]" if isinstance(step, int) else (f".{step}" if place else str(step))
    return place or "the world"


def problem(error: Any) -> str:
    """A schema error (jsonschema's ValidationError) in one line: where, and the rule broken."""
    # The message of a schema error quotes the value, which may be a password: say what the rule is instead.
    rule, expected = error.validator, error.validator_value
    if rule == "required":
        missing = [name for name in expected if isinstance(error.instance, dict) and name not in error.instance]
        return f"{_place(error.absolute_path)}: missing {', '.join(map(repr, missing))}"
    if rule == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {}))) if isinstance(error.instance, dict) else []
        known = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{_place(error.absolute_path)}: unknown key {', '.join(map(repr, extra))} (known: {known})"
    if rule == "enum":
        return f"{_place(error.absolute_path)}: must be one of {', '.join(map(str, expected))}"
    if rule == "format":
        shapes = {"date-time": "an RFC 3339 date and time with its offset from UTC, such as 2026-12-06T15:30:00Z", "uuid": "a UUID"}
        return f"{_place(error.absolute_path)}: must be {shapes.get(str(expected), f'in the format {expected}')}"
    if rule == "type":
        return f"{_place(error.absolute_path)}: must be {'an' if str(expected)[0] in 'aeiou' else 'a'} {expected}"
    return f"{_place(error.absolute_path)}: breaks the rule {rule}: {expected!r}"


# PyYAML quotes what it found: a token's kind ('<block end>', ':'), a character ('\t'), or text of the
# file (an alias, a tag, an escape), which may be a password written unquoted (`password: *Secret1`).
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _unquoted(problem: str) -> str:
    def keep(quoted: re.Match[str]) -> str:
        inner = quoted.group(0)[1:-1]
        token = inner.startswith("<") or (len(inner) == 1 and not inner.isalnum()) or re.fullmatch(r"\\[a-z0-9]{1,9}", inner)
        return quoted.group(0) if token else "(text of the file)"

    return _QUOTED.sub(keep, problem)


def parse(text: str, source: str) -> World:
    """A world from YAML or JSON text; `source` names it in errors."""
    try:
        data = parse_data(text)
    except documents.DocumentError as exc:
        raise WorldError(f"{source}: {exc}") from None
    except ValueError:  # a number of thousands of digits, which Python will not read
        raise WorldError(f"{source}: a number is too long to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = _unquoted(str(getattr(exc, "problem", None) or "cannot be read"))
        raise WorldError(f"{source}: not YAML or JSON{where}: {problem}") from None
    return build(data, source)


def parse_data(text: str) -> Any:
    """YAML (or JSON, which is YAML) as data, within documents' limits; YAMLError when it is neither, DocumentError
    when it breaks a limit."""
    return documents.parse_yaml(text)


def load(path: Path) -> World:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldError(f"{path}: cannot be read ({type(exc).__name__}: {getattr(exc, 'strerror', None) or exc})") from None
    return parse(text, str(path))


@cache
def _valid_world() -> Callable[[Any], bool]:
    """The World schema's check in Rust (jsonschema-rs): a world of 150,000 instances in 60 ms, where jsonschema
    takes 8 s. It says only whether; jsonschema, run on a world it refuses, says where and why."""
    import jsonschema_rs

    schema = {"$ref": "#/components/schemas/World", "components": control_api().spec["components"]}
    return cast(Callable[[Any], bool], jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid)


def build(data: Any, source: str) -> World:
    """A world from the `World` format, checked."""
    if not _valid_world()(data):
        errors = control_api().schema_validator("World").iter_errors(data)
        error = next(iter(sorted(errors, key=lambda e: [str(step) for step in e.absolute_path])), None)
        raise WorldError(f"{source}: {problem(error) if error is not None else 'does not match the World format'}")
    transitions = data.get("transitions", {"after": "immediate"})
    if transitions["after"] != "immediate" and "count" not in transitions:
        raise WorldError(f"{source}: transitions: `after: {transitions['after']}` needs a `count`")
    if transitions["after"] == "reads" and not float(transitions["count"]).is_integer():
        raise WorldError(f"{source}: transitions.count: reads are counted in a whole number")
    clock = data.get("clock", {})
    try:
        clock_start = ClockStart(clock.get("frozen", False), parse_rfc3339(clock["now"]) if "now" in clock else None)
    except ValueError as exc:
        raise WorldError(f"{source}: clock.now: {exc}") from None
    world = World(
        accounts={},
        instances={},
        images=[Image(i["key"], i["os_name"], i["zone"], i.get("name")) for i in data.get("images", [])],
        sessions={},
        timing=Timing(transitions["after"], transitions.get("count", 0)),
        session_idle=float(data.get("session_idle_seconds", 3600)),
        clock_start=clock_start,
    )
    now = world.clock.monotonic()
    # Every image key names one image, world-wide: a rescue names it alone, by its key.
    keys: set[str] = set()
    places = [(f"images[{i}]", image["key"]) for i, image in enumerate(data.get("images", []))]
    places += [
        (f"accounts[{a}].own_images[{i}]", o["key"])
        for a, entry in enumerate(data["accounts"])
        for i, o in enumerate(entry.get("own_images", []))
    ]
    for place, key in places:
        if key.lower() in keys:
            raise WorldError(f"{source}: {place}.key: {key} is already another image's key")
        keys.add(key.lower())
    for a, entry in enumerate(data["accounts"]):
        username = entry["username"]
        if username in world.accounts:
            raise WorldError(f"{source}: accounts[{a}].username: {username!r} is already an account")
        own = [Image(i["key"], i["os_name"], OWN_ZONE, i.get("name")) for i in entry.get("own_images", [])]
        account = world.accounts[username] = Account(username, entry["password"], own)
        for s, session in enumerate(entry.get("sessions", [])):
            if session in world.sessions:
                raise WorldError(f"{source}: accounts[{a}].sessions[{s}]: that session id is already another's")
            world.sessions[session] = Session(session, username, now)
        for i, item in enumerate(entry.get("instances", [])):
            elid = item["elid"]
            if not isinstance(elid, int):  # JSON Schema, and so jsonschema-rs, takes 1.0 for an integer
                raise WorldError(f"{source}: accounts[{a}].instances[{i}].elid: must be an integer")
            if elid in world.instances:
                raise WorldError(f"{source}: accounts[{a}].instances[{i}].elid: {elid} is already an instance")
            images = item.get("images")
            for k, key in enumerate(images or []):
                if key.lower() not in keys:
                    raise WorldError(f"{source}: accounts[{a}].instances[{i}].images[{k}]: no image of the world has the key {key}")
            world.instances[elid] = Instance(
                elid=elid,
                owner=username,
                name=item.get("name", ""),
                status=item["status"],
                os_name=item.get("os_name", ""),
                ip=item.get("ip", ""),
                image_keys=tuple(key.lower() for key in images) if images is not None else None,
            )
            account.elids.append(elid)
    return world


def _hint(session: str) -> str:
    return f"{session[:4]}...({len(session)} characters)"


def state(world: World) -> dict[str, Any]:
    """The world as it now is, in the `WorldState` format: no password or session id in full."""
    now = world.clock.monotonic()
    timing: dict[str, Any] = {"after": world.timing.after}
    if world.timing.after != "immediate":
        timing["count"] = world.timing.count
    accounts = []
    for account in world.accounts.values():
        instances = []
        for elid in account.elids:
            instance = world.instances[elid]
            shown: dict[str, Any] = {"elid": elid, "name": instance.name, "status": world.status_now(instance)}
            shown |= {"os_name": instance.os_name, "ip": instance.ip}
            if instance.image_keys is not None:
                shown["images"] = list(instance.image_keys)
            instances.append(shown)
        sessions = [
            {"hint": _hint(session.id), "idle_seconds": round(now - session.last_used, 3)}
            for session in world.sessions.values()
            if session.username == account.username and now - session.last_used <= world.session_idle
        ]
        own = [{"key": i.key, "os_name": i.os_name} | ({"name": i.name} if i.name else {}) for i in account.own_images]
        accounts.append({"username": account.username, "password": MASK, "own_images": own, "sessions": sessions, "instances": instances})
    images = [{"key": i.key, "os_name": i.os_name, "zone": i.zone} | ({"name": i.name} if i.name else {}) for i in world.images]
    return {
        "session_idle_seconds": world.session_idle,
        "transitions": timing,
        "clock": clock_state(world),
        "images": images,
        "accounts": accounts,
    }


def clock_state(world: World) -> dict[str, Any]:
    """The world's clock, in the `ClockState` format: its time, whether it is frozen, how far from real time."""
    return {"now": rfc3339(world.clock.time()), "frozen": world.clock.frozen, "offset_seconds": round(world.clock.offset(), 3)}
