"""An attachment's media type, read from its first bytes: the client's declared type is never
asked for. Executables, scripts and anything outside the allow-list are refused.

HTML and SVG are refused too, not downgraded to text/plain: both run script as soon as a
browser renders them (a downloaded file opened locally, a proxy or bucket that drops
`Content-Disposition`), and neither is a screenshot, a recording or a document support needs.

The filename's extension only ever narrows what the content already is: a ZIP named .docx is a
Word document, an OLE file named .xls a spreadsheet, text named .csv is CSV. It never makes
content acceptable: an ELF named x.png is refused, a PNG named x.exe is an image.
"""

import codecs
import re

import puremagic

HEAD_BYTES = 8192

# Executables by signature, whatever the file is called.
_EXECUTABLES = (
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal binary"),
    (b"\x00asm", "WebAssembly module"),
    (b"#!", "#! script"),
)
# Text under these names is a program a click or a shell runs, or markup a browser renders.
SCRIPT_EXTENSIONS = frozenset(
    (
        *(".sh", ".bash", ".zsh", ".ksh", ".csh", ".fish", ".command", ".applescript"),
        *(".bat", ".cmd", ".ps1", ".psm1", ".psd1", ".vbs", ".vbe", ".wsf", ".wsh", ".hta"),
        *(".js", ".jse", ".mjs", ".cjs", ".py", ".pyw", ".pl", ".rb", ".php", ".lua"),
        *(".scr", ".reg", ".inf", ".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"),
        *(".svg", ".svgz", ".xsl", ".xslt"),
    )
)
# ZIP containers that install or run code, and office files that carry macros.
_ZIP_EXECUTABLES = frozenset(
    (
        *(".jar", ".war", ".ear", ".apk", ".aab", ".xapk", ".ipa", ".xpi", ".crx", ".vsix"),
        *(".appx", ".appxbundle", ".msix", ".msixbundle"),
        *(".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppam", ".ppsm"),
    )
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ZIP_DOCUMENTS = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The same container holds installers (.msi) and mail (.msg): only these names are documents.
_OLE_DOCUMENTS = {
    ".doc": "application/msword",
    ".dot": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".xlt": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pps": "application/vnd.ms-powerpoint",
    ".pot": "application/vnd.ms-powerpoint",
}
# ISO base media (MP4, QuickTime, HEIC): the `ftyp` box's brands, which puremagic knows few of.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_IMAGE_BRANDS = _HEIC_BRANDS | {b"mif1", b"msf1", b"avif", b"avis"}
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
_EBML = b"\x1a\x45\xdf\xa3"
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}
# puremagic's extension for a match → the media type we store; the rest is not allowed.
_BY_MAGIC = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jfif": "image/jpeg",
    ".jpe": "image/jpeg",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".mp3": "audio/mpeg",
    ".mpga": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
# Matches on this little (two bytes: BMP's "BM", MP3's frame sync) lose to text.
_WEAK = 0.3
_TEXT_BY_EXTENSION = {".csv": "text/csv", ".json": "application/json"}
# What a browser renders with script: the first element, past an XML declaration and comments.
_MARKUP = re.compile(r"<(!doctype\s+(html|svg)|html|svg|script|head|body|iframe)[\s>/]")
_PROLOGUE = re.compile(r"(<\?xml[^>]*\?>|<!--.*?-->|\s)+", re.DOTALL)


class Refused(Exception):
    """Content we do not store: `reason` says what it is, for the 415 problem."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff(head: bytes, filename: str) -> str:
    """The media type of a file from its first HEAD_BYTES, or `Refused`."""
    head = head[:HEAD_BYTES]
    extension = _extension(filename)
    for signature, name in _EXECUTABLES:
        if head.startswith(signature) or head.startswith(codecs.BOM_UTF8 + signature):
            raise Refused(f"Executables and scripts are not accepted ({name}).")
    contained = _container(head, extension)
    if contained:
        return contained
    found, confidence = _magic(head)
    if found and confidence >= _WEAK:
        return found
    text = _decode(head)
    if text is not None:
        return _text(text, extension)
    if found:
        return found
    if _mpeg_audio_frame(head):
        return "audio/mpeg"
    raise Refused("This type of file is not accepted.")


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    # Windows drops trailing dots and spaces: "run.bat. " is run.bat.
    name = name.rstrip(". \t").lower()
    stem, dot, extension = name.rpartition(".")
    return f".{extension}" if dot and stem else ""


def _container(head: bytes, extension: str) -> str | None:
    """Formats whose type hangs on more than a signature (a name, a brand, a form type)."""
    if head.startswith(_ZIP):
        return _zip(extension)
    if head.startswith(_OLE):
        return _ole(extension)
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head.startswith(_EBML):
        return "video/x-matroska" if b"matroska" in head[:64] else "video/webm"
    if head.startswith(b"RIFF"):
        if head[8:12] not in _RIFF:
            raise Refused("This type of file is not accepted.")
        return _RIFF[head[8:12]]
    # An ID3v2 tag (version 2-4, revision 0) before MPEG audio frames.
    if (
        head.startswith(b"ID3")
        and head[3:4] in (b"\x02", b"\x03", b"\x04")
        and head[4:5] == b"\x00"
    ):
        return "audio/mpeg"
    return None


def _zip(extension: str) -> str:
    if extension in _ZIP_EXECUTABLES:
        raise Refused(f"Packages that run code ({extension}) are not accepted.")
    return _ZIP_DOCUMENTS.get(extension, "application/zip")


def _ole(extension: str) -> str:
    if extension not in _OLE_DOCUMENTS:
        raise Refused("Only .doc, .xls and .ppt files are accepted in this format.")
    return _OLE_DOCUMENTS[extension]


def _iso_media(head: bytes) -> str:
    box = int.from_bytes(head[:4], "big")
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(box, len(head)) - 3, 4)}
    if major in _IMAGE_BRANDS:
        if brands & _HEIC_BRANDS:
            return "image/heic"
        raise Refused("This type of image is not accepted.")
    if major == b"qt  ":
        return "video/quicktime"
    if major in _AUDIO_BRANDS:
        return "audio/mp4"
    return "video/mp4"


def _magic(head: bytes) -> tuple[str | None, float]:
    """The allowed type among puremagic's most confident matches, and that confidence."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None, 0.0
    # Negative offsets are end-of-file signatures: `head` is not the end of the file.
    matches = [match for match in matches if match.offset >= 0]
    best = max((match.confidence for match in matches), default=0.0)
    for match in matches:
        if match.confidence == best and match.extension in _BY_MAGIC:
            return _BY_MAGIC[match.extension], best
    return None, 0.0


def _decode(head: bytes) -> str | None:
    """`head` as text if it is UTF-8 (or UTF-16 with a BOM) without NULs; the last character
    may be cut in half."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")()
    else:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _text(text: str, extension: str) -> str:
    start = text[:2048].lower()
    prologue = _PROLOGUE.match(start)
    if _MARKUP.match(start, prologue.end() if prologue else 0):
        raise Refused("HTML and SVG files are not accepted.")
    if extension in SCRIPT_EXTENSIONS:
        raise Refused(f"Scripts and markup ({extension}) are not accepted.")
    return _TEXT_BY_EXTENSION.get(extension, "text/plain")


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio (layer III) frame header without an ID3 tag before it."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate not in (0, 0b1111) and rate != 0b11
