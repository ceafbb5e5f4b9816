"""`make mutation` (`python -m tools.mutation.run`); this folder is also on the mutants' PYTHONPATH for sitecustomize.py and the pytest plugin."""
