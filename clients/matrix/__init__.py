"""The generator matrix (run.py drives it); a package so that tests import its checks (tests/test_matrix_wire.py)."""
