"""Content typing from the bytes: what is allowed, what is refused, what the name may decide."""

import gzip
import io
import random
import struct
import zipfile
import zlib

import pytest

from app.attachments.sniff import HEAD_BYTES, Refused, sniff

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _zip(*members: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx() -> bytes:
    return _zip(
        ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
        ("word/document.xml", '<?xml version="1.0"?><w:document/>'),
    )


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands + b"\x00\x00\x00\x08free"


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"\x40\x00\x00\x00PE\x00\x00\x64\x86"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff"


ALLOWED = [
    (PNG, "screenshot.png", "image/png"),
    (JPEG, "photo.jpg", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "anim.gif", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", "shot.webp", "image/webp"),
    (b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", "old.bmp", "image/bmp"),
    (b"II*\x00\x08\x00\x00\x00", "scan.tiff", "image/tiff"),
    (_ftyp(b"heic", b"mif1", b"heic"), "IMG_0001.HEIC", "image/heic"),
    (_ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "recording.mp4", "video/mp4"),
    (_ftyp(b"qt  ", b"qt  "), "screen.mov", "video/quicktime"),
    (_ftyp(b"M4A ", b"M4A ", b"mp42"), "voice.m4a", "audio/mp4"),
    (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\x82\x84webmB\x87\x81\x04", "rec.webm", "video/webm"),
    (b"\x1aE\xdf\xa3\xa3B\x86\x81\x01B\x82\x88matroska", "rec.mkv", "video/x-matroska"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x23TSSE", "note.mp3", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00\x00\x00\x00", "note.mp3", "audio/mpeg"),
    (b"OggS\x00\x02\x00\x00\x00\x00", "voice.ogg", "audio/ogg"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00", "voice.wav", "audio/wav"),
    (PDF, "invoice.pdf", "application/pdf"),
    (_zip(("logs/app.log", "hello")), "logs.zip", "application/zip"),
    (gzip.compress(b"2024-01-01 started\n"), "app.log.gz", "application/gzip"),
    (_docx(), "report.docx", DOCX),
    (
        _zip(("mimetype", "application/vnd.oasis.opendocument.text")),
        "a.odt",
        "application/vnd.oasis.opendocument.text",
    ),
    (OLE, "budget.xls", "application/vnd.ms-excel"),
    (OLE, "letter.doc", "application/msword"),
]


@pytest.mark.parametrize(
    ("content", "filename", "expected"), ALLOWED, ids=[case[1] for case in ALLOWED]
)
def test_allowed_content_is_typed_by_its_bytes(
    content: bytes, filename: str, expected: str
) -> None:
    assert sniff(content[:HEAD_BYTES], filename) == expected


def test_a_png_named_exe_is_an_image() -> None:
    assert sniff(PNG, "x.exe") == "image/png"


def test_a_docx_is_a_plain_zip_under_another_name() -> None:
    assert sniff(_docx(), "report.zip") == "application/zip"


def test_a_name_never_makes_text_of_an_image() -> None:
    assert sniff(PNG, "notes.csv") == "image/png"


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (ELF, "x.png"),
        (ELF, "tool"),
        (PE, "setup.exe"),
        (PE, "invoice.pdf"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "app"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "Main.class"),
        (b"#!/bin/sh\nrm -rf ~\n", "notes.txt"),
        (b"\xef\xbb\xbf#!/usr/bin/env python3\n", "notes.txt"),
    ],
    ids=["elf-named-png", "elf", "pe", "pe-named-pdf", "mach-o", "java-class", "sh", "bom-py"],
)
def test_executables_and_scripts_are_refused(content: bytes, filename: str) -> None:
    with pytest.raises(Refused, match="Executables and scripts"):
        sniff(content, filename)


@pytest.mark.parametrize(
    "filename", ["run.bat", "install.sh", "Setup.PS1", "run.bat. ", "payload.js", "C:\\x\\a.vbs"]
)
def test_text_named_as_a_script_is_refused(filename: str) -> None:
    with pytest.raises(Refused, match="Scripts and markup"):
        sniff(b"echo hello\r\n", filename)


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>",
        b"\n  <html lang='en'><head></head></html>",
        b'<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
    ids=["html", "html-no-doctype", "svg"],
)
def test_html_and_svg_are_refused_whatever_their_name(content: bytes) -> None:
    with pytest.raises(Refused, match="HTML and SVG"):
        sniff(content, "readme.txt")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("export.csv", "text/csv"),
        ("payload.JSON", "application/json"),
        ("server.log", "text/plain"),
        ("notes.txt", "text/plain"),
        ("config.xml", "text/plain"),
        ("README", "text/plain"),
    ],
)
def test_text_is_typed_by_its_extension(filename: str, expected: str) -> None:
    assert sniff(b'id,name\n1,"Zo\xc3\xab"\n{"a": 1}\n', filename) == expected


def test_text_cut_inside_a_character_is_still_text() -> None:
    content = b"x" * (HEAD_BYTES - 1) + "€ paid\n".encode()

    assert sniff(content[:HEAD_BYTES], "billing.log") == "text/plain"


def test_a_utf16_log_with_its_bom_is_text() -> None:
    assert sniff("PS> Get-Service\r\n".encode("utf-16"), "services.log") == "text/plain"


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (random.Random(13).randbytes(HEAD_BYTES), "data.txt"),
        (b"\x00\x01\x02\x03" * 100, "data.bin"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(20), "archive.rar"),
        (b"RIFF\x24\x00\x00\x00AVI LIST", "clip.avi"),
        (_ftyp(b"avif", b"mif1", b"avif"), "photo.avif"),
        (OLE, "setup.msi"),
        (_zip(("META-INF/MANIFEST.MF", "Main-Class: x")), "tool.jar"),
        (_docx(), "macro.docm"),
        ("caf\xe9 latin-1".encode("latin-1"), "notes.txt"),
    ],
    ids=["junk", "nul-bytes", "rar", "avi", "avif", "msi", "jar", "docm", "latin-1"],
)
def test_anything_outside_the_allow_list_is_refused(content: bytes, filename: str) -> None:
    with pytest.raises(Refused):
        sniff(content, filename)
