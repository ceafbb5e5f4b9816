"""Prism, as the mock starts it during `make mutation`: a port that forwards to one Prism started for the whole run.

Each mutant's tests start their own mock, and each mock its own Prism: Node.js and the contract take
Prism 1 to 3 s of the 2 cores to load, more than most mutants' tests take. Started as the mock always starts
Prism (`mock SPEC --host 127.0.0.1 --port N --verboseLevel warn`) with SPEC holding the contract byte for
byte, this listens on N and passes each connection through to the shared Prism, which serves that same
contract. Started any other way (a mutant that changed the arguments or the contract's copy, a test's own
contract), it is the real Prism. The mock's code is all the mutant's; only Prism, which no mutant changes,
is shared.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


def _as_the_mock_starts_it(argv: list[str]) -> int | None:
    """The port to listen on, when argv is the mock's usual command line for the contract itself."""
    if len(argv) != 8 or argv[0] != "mock" or argv[2:5] != ["--host", "127.0.0.1", "--port"] or argv[6:] != ["--verboseLevel", "warn"]:
        return None
    try:
        same = Path(argv[1]).read_bytes() == Path(os.environ["MUTATION_PRISM_SPEC"]).read_bytes()
    except OSError:
        return None
    return int(argv[5]) if same and argv[5].isdigit() else None


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:
        writer.close()


async def _forward(port: int, shared: int) -> None:
    async def connection(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            prism_reader, prism_writer = await asyncio.open_connection("127.0.0.1", shared)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, prism_writer), _pipe(prism_reader, client_writer))
        client_writer.close()
        prism_writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    argv = sys.argv[1:]
    port = _as_the_mock_starts_it(argv)
    if port is None:
        real = os.environ["MUTATION_REAL_PRISM"]
        os.execv(real, [real, *argv])
    asyncio.run(_forward(port, int(os.environ["MUTATION_PRISM_PORT"])))


if __name__ == "__main__":
    main()
