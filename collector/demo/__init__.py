"""`collector demo` and `--selftest`: the whole pipeline on invented data, headless."""
