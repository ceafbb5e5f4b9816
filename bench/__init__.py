"""`make bench` (`python -m bench.mock_bench` from the checkout's root) and its parts, each runnable alone as a script."""
