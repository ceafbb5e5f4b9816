"""For `make mutation` only, where this folder is on PYTHONPATH: see mutmut_subprocesses.py beside it.

While mutmut records which tests call which function (MUTANT_UNDER_TEST=stats), a Python process that a
test starts (the mock, the `zomro-rescue` command) appends each mutated function it calls to a file named
by its process ID, in the folder that the plugin names in MUTMUT_SUBPROCESS_HITS. Otherwise this does nothing.
"""

import os

_FOLDER = os.environ.get("MUTMUT_SUBPROCESS_HITS")

if _FOLDER and os.environ.get("MUTANT_UNDER_TEST") == "stats":
    import mutmut.mutation.trampoline as _trampoline

    # Line-buffered: each call is on disk when the test that caused it ends.
    _calls = open(os.path.join(_FOLDER, str(os.getpid())), "a", buffering=1, encoding="utf-8")

    def _record(name: str, caller: str | None = None) -> None:
        _calls.write(name + "\n")

    # The trampoline looks this name up at each call; mutmut's own version records in this process's memory, which no one reads.
    _trampoline.record_trampoline_hit = _record
