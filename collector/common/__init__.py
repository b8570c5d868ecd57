"""Shared names at the bottom of the core: errors, text, files written atomically, paths, fonts, fingerprints."""
