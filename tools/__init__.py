"""What the make targets run (run_parts, figures, mutation/), as modules: `python -m tools.run_parts` from the checkout's root."""
