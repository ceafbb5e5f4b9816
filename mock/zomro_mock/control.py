"""The control API under `/_mock/` (control-api.yaml): reset, read and load the world, its clock, the journal, faults.

The real server has only `/`, so these paths can never shadow it. Unlike the
emulated API, this one answers with HTTP status codes and RFC 9457 problem
documents, as a test's HTTP client expects.
"""

from __future__ import annotations

import asyncio
import gc
import json
import re
import threading
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from . import documents, world_file
from .clock import Clock, parse_rfc3339
from .emulator import Emulator, Fault
from .server import Request, Response
from .world import World

PREFIX = "/_mock/"
JSON = ("Content-Type", "application/json")
_YAML = ("application/yaml", "application/x-yaml", "text/yaml")
T = TypeVar("T")
_ELID = re.compile(r"[1-9][0-9]{0,15}", re.ASCII)  # the journal's filter: an instance ID as the contract bounds it


class _Problem(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _dumps_aside(document: Any) -> bytes:
    """_dumps for a thread: json's encoder in Python, which lets other threads run; its C encoder holds the
    interpreter's lock throughout (0.2 s for a world of 150,000 instances, and the mock answers no one)."""
    return "".join(json.JSONEncoder(ensure_ascii=False).iterencode(document)).encode()


def _json(document: Any, status: int = 200) -> Response:
    return Response(body=_dumps(document), status=status, headers=[JSON])


def problem(status: int, detail: str) -> Response:
    """An RFC 9457 problem document: the control API's answer to anything it cannot do."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    document = {"title": title, "status": status, "detail": detail}
    return Response(body=json.dumps(document).encode(), status=status, headers=[("Content-Type", "application/problem+json")])


# A body this large is read in a thread, and a world this large copied and written out in one, so that the
# clients of the emulated API are answered meanwhile (a world of 150,000 instances: 2 s to copy, 0.2 s to write).
_INLINE = 64 * 1024
_LARGE_WORLD = 10_000


def _parse(content_type: str, body: bytes) -> Any:
    """A body as data, within documents' limits; _Problem for one that is not its type or breaks a limit."""
    try:
        text = body.decode("utf-8")
        return documents.parse_yaml(text) if content_type in _YAML else documents.parse_json(text)
    except documents.DocumentError as exc:
        raise _Problem(400, f"the body: {exc}") from None
    except (UnicodeDecodeError, ValueError, documents.YAMLError):
        raise _Problem(400, f"the body is not {content_type}") from None


async def _body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type not in ("application/json", *_YAML):
        raise _Problem(415, f"send the body as application/json (or application/yaml), not {content_type or 'without a type'}")
    if len(request.body) <= _INLINE:
        return _parse(content_type, request.body)
    return await asyncio.to_thread(_parse, content_type, request.body)


def _build(request: Request) -> World:
    """A world from the body of a PUT: in a thread when large (PyYAML and the schema's check are pure Python)."""
    try:
        return world_file.build(_parse_for_world(request), "the world sent")
    except world_file.WorldError as error:
        raise _Problem(400, str(error)) from None


_BUILDING = threading.Lock()


def _uncollected(make: Callable[[], T]) -> T:
    """`make()`, one at a time, with the cyclic collector off: a world of a million values made with it on sets off
    full collections, each of which holds the interpreter's lock (and so every client) for 100 ms or more.
    Its objects hold no cycles; reference counting frees them when they go."""
    with _BUILDING:
        gc.disable()
        try:
            return make()
        finally:
            gc.freeze()  # before the collector is back on: else its first pass walks the new world, lock held
            gc.enable()


def _shown(world: World) -> tuple[World, bytes]:
    """A world not yet live, started on a clock of its own, and its state as the answer shows it: made in a thread,
    where it keeps the mock's clients waiting for nothing. Going live starts it again, on the world's clock."""
    world.clock = Clock(world.clock_start)
    world.begin()
    return world, _dumps_aside(world_file.state(world))


def _parse_for_world(request: Request) -> Any:
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type not in ("application/json", *_YAML):
        raise _Problem(415, f"send the body as application/json (or application/yaml), not {content_type or 'without a type'}")
    return _parse(content_type, request.body)


class Control:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._fault_validator = world_file.control_api().schema_validator("Fault")
        self._advance_validator = world_file.control_api().schema_validator("ClockAdvance")
        self._clock_validator = world_file.control_api().schema_validator("ClockSetting")
        self.routes: dict[tuple[str, str], Callable[[Request], Awaitable[Response]]] = {
            ("POST", "reset"): self._reset,
            ("GET", "world"): self._get_world,
            ("PUT", "world"): self._put_world,
            ("GET", "clock"): self._get_clock,
            ("PUT", "clock"): self._put_clock,
            ("POST", "clock/advance"): self._advance_clock,
            ("GET", "journal"): self._get_journal,
            ("DELETE", "journal"): self._clear_journal,
            ("GET", "faults"): self._get_faults,
            ("POST", "faults"): self._add_fault,
            ("DELETE", "faults"): self._clear_faults,
        }

    async def handle(self, request: Request) -> Response:
        name = request.path.removeprefix(PREFIX).rstrip("/")
        methods = sorted(method for method, path in self.routes if path == name)
        if not methods:
            return problem(404, f"the control API has {', '.join(sorted({PREFIX + p for _, p in self.routes}))}; see control-api.yaml")
        handler = self.routes.get((request.method, name))
        if handler is None:
            answer = problem(405, f"{PREFIX}{name} takes {', '.join(methods)}")
            answer.headers.append(("Allow", ", ".join(methods)))
            return answer
        try:
            return await handler(request)
        except _Problem as refused:
            return problem(refused.status, refused.detail)

    async def _world_now(self) -> Response:
        """The world as it is now: its state taken here, between two requests; written out in a thread when large."""
        state = world_file.state(self.emulator.world)
        if len(self.emulator.world.instances) <= _LARGE_WORLD:
            return _json(state)
        return Response(body=await asyncio.to_thread(_dumps_aside, state), headers=[JSON])

    def _replace(self, world: World, answer: bytes) -> Response:
        """The world replaced by one made and shown in a thread: here, only the swap and its start on the live clock."""
        self.emulator.reset(world)
        return Response(body=answer, headers=[JSON])

    async def _reset(self, request: Request) -> Response:
        if len(self.emulator.initial.instances) <= _LARGE_WORLD:
            self.emulator.reset()
            return await self._world_now()
        return self._replace(*await asyncio.to_thread(_uncollected, lambda: _shown(self.emulator.start_world())))

    async def _get_world(self, request: Request) -> Response:
        return await self._world_now()

    async def _put_world(self, request: Request) -> Response:
        # Read, checked and built whole before it replaces the world: a world refused leaves the mock as it was.
        if len(request.body) <= _INLINE:
            self.emulator.reset(_build(request))
            return await self._world_now()
        return self._replace(*await asyncio.to_thread(_uncollected, lambda: _shown(_build(request))))

    def _checked(self, validator: Any, data: Any, what: str) -> Any:
        error = next(iter(validator.iter_errors(data)), None)
        if error is not None:
            raise _Problem(400, f"{what}: {world_file.problem(error)}")
        return data

    async def _get_clock(self, request: Request) -> Response:
        return _json(world_file.clock_state(self.emulator.world))

    async def _put_clock(self, request: Request) -> Response:
        data = self._checked(self._clock_validator, await _body(request), "the clock")
        clock = self.emulator.world.clock
        if "now" in data:
            try:
                clock.set_time(parse_rfc3339(data["now"]))
            except ValueError as exc:
                raise _Problem(400, f"the clock: now: {exc}") from None
        if data.get("frozen") is True:
            clock.freeze()
        elif data.get("frozen") is False:
            clock.run()
        return _json(world_file.clock_state(self.emulator.world))

    async def _advance_clock(self, request: Request) -> Response:
        data = self._checked(self._advance_validator, await _body(request), "the advance")
        try:
            passed = self.emulator.world.advance(data["seconds"])
        except ValueError as exc:
            raise _Problem(400, f"the advance: seconds: {exc}") from None
        settled = [{"elid": elid, "status": status} for elid, status in passed.settled]
        return _json(world_file.clock_state(self.emulator.world) | {"expired_sessions": passed.expired_sessions, "settled": settled})

    async def _get_journal(self, request: Request) -> Response:
        query = dict(parse_qsl(request.query))
        unknown = sorted(set(query) - {"func", "operation", "elid"})
        if unknown:
            raise _Problem(400, f"unknown filter {unknown[0]!r}: the journal is filtered by func, operation and elid")
        elid = query.get("elid")
        if elid is not None and not _ELID.fullmatch(elid):
            raise _Problem(400, "elid: give an instance ID in decimal digits, from 1 to 9007199254740991")
        entries = self.emulator.entries(query.get("func"), query.get("operation"), int(elid) if elid else None)
        return _json({"entries": entries})

    async def _clear_journal(self, request: Request) -> Response:
        self.emulator.journal.clear()
        return Response(status=204)

    async def _get_faults(self, request: Request) -> Response:
        return _json({"faults": [fault.shown() for fault in self.emulator.faults]})

    async def _add_fault(self, request: Request) -> Response:
        data = await _body(request)
        error = next(iter(self._fault_validator.iter_errors(data)), None)
        if error is not None:
            rule = "give exactly one of error, delay_ms and drop" if error.validator == "oneOf" else world_file.problem(error)
            raise _Problem(400, f"the fault: {rule}")
        if "id" in data or "remaining" in data:
            raise _Problem(400, "the fault: id and remaining are given by the mock")
        fault = Fault(
            operation=data["operation"],
            times=data.get("times", 1),
            elid=data.get("elid"),
            error=data.get("error"),
            delay_ms=data.get("delay_ms"),
            drop=data.get("drop", False),
        )
        try:
            self.emulator.add_fault(fault)
        except ValueError as exc:
            raise _Problem(400, str(exc)) from None
        return _json(fault.shown(), status=201)

    async def _clear_faults(self, request: Request) -> Response:
        self.emulator.faults.clear()
        return Response(status=204)
