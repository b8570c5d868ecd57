"""Printing what the project writes (.xlsx, .docx) the way a clerk's office suite would:
LibreOffice headless converts it to PDF, then pdftotext reads the pages."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed here; CI installs them "
           "(apt-get install --no-install-recommends libreoffice-calc libreoffice-writer "
           "poppler-utils)")


def to_pdf(files: list[Path], work: Path) -> list[Path]:
    """Convert ``files`` in one soffice run (each run costs seconds). A private profile keeps
    parallel runs apart; the bundled CJK font is offered through fontconfig, as an office
    machine would have a Chinese font."""
    out = work / "converted"
    out.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<dir>{ROOT / "resources" / "fonts"}</dir><cachedir>{work / "fc-cache"}</cachedir>'
        '</fontconfig>', encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(work)}
    subprocess.run([SOFFICE, f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, files)], env=env, capture_output=True, timeout=300, check=True)
    pdfs = [out / (Path(f).stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"soffice did not convert {missing}"
    return pdfs


def pages(pdf: Path, mode: str = "-layout") -> list[str]:
    """The text of each page: ``-layout`` as printed, or ``-raw`` in drawing order (each
    cell's wrapped lines together, to find a cell's full text)."""
    text = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def glyph_sizes(pdf: Path, word: str) -> list[float]:
    """Printed size (points) of each occurrence of ``word`` made of Chinese characters: a
    Chinese glyph is one em wide, so width / characters is the font size on paper."""
    import re

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    sizes = []
    for m in re.finditer(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<',
                         out):
        if m.group(3) == word:
            sizes.append((float(m.group(2)) - float(m.group(1))) / len(word))
    return sizes
