import shutil
import subprocess

import pytest

PDFTOTEXT = shutil.which("pdftotext")
PDFFONTS = shutil.which("pdffonts")


def pdf_text(path) -> str:
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_fonts(path) -> str:
    if not PDFFONTS:
        pytest.skip("pdffonts (poppler-utils) not installed")
    return subprocess.run([PDFFONTS, str(path)], capture_output=True, text=True,
                          check=True).stdout
