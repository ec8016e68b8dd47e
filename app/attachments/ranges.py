"""HTTP Range (RFC 9110 §14): one byte range of a file, as a video player asks for it."""

from app.errors import RangeNotSatisfiable


def parse(header: str | None, size: int) -> tuple[int, int] | None:
    """The [start, end) asked for, or None for the whole file (no header, or one we do not
    serve ranges for: several ranges, another unit, a malformed one, as RFC 9110 allows)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, dash, last = header.removeprefix("bytes=").strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise _unsatisfiable(size)
        return max(size - length, 0), size
    start = int(first)
    end = min(int(last) + 1, size) if last.isdigit() else size
    if last.isdigit() and int(last) < start:
        return None
    if start >= size:
        raise _unsatisfiable(size)
    return start, end


def _unsatisfiable(size: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(
        f"The file has {size} bytes.", headers={"Content-Range": f"bytes */{size}"}
    )
