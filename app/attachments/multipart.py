"""Reading the `file` field of a multipart/form-data body as it streams in, chunk by chunk,
so an upload of any size holds only a chunk in memory (python-multipart's push parser)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from app.errors import UnsupportedMediaType, invalid

FIELD = "file"


class NotMultipart(UnsupportedMediaType):
    def __init__(self) -> None:
        super().__init__("Send the file as multipart/form-data, in a field named `file`.")


@dataclass
class _Part:
    """What the parser's callbacks collected since the last look."""

    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: bytes = b""
    value: bytes = b""
    data: list[bytes] = field(default_factory=list)
    started: bool = False  # the `file` field's headers are read
    ended: bool = False  # ... and its data


class FileField:
    """The `file` part of one multipart body: its filename, then its bytes."""

    def __init__(self, content_type: str) -> None:
        media_type, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if media_type != b"multipart/form-data" or not boundary:
            raise NotMultipart()
        self.part = _Part()
        self.in_file = False
        self.filename: str | None = None
        self.parser = MultipartParser(boundary, self._callbacks())

    def _callbacks(self) -> dict:
        part = self.part

        def header_field(data: bytes, start: int, end: int) -> None:
            part.name += data[start:end]

        def header_value(data: bytes, start: int, end: int) -> None:
            part.value += data[start:end]

        def header_end() -> None:
            part.headers[part.name.lower()] = part.value
            part.name, part.value = b"", b""

        def headers_finished() -> None:
            self._begin(part.headers.get(b"content-disposition", b""))
            part.headers = {}

        def part_data(data: bytes, start: int, end: int) -> None:
            if self.in_file:
                part.data.append(data[start:end])

        def part_end() -> None:
            if self.in_file:
                self.in_file, part.ended = False, True

        return {
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_headers_finished": headers_finished,
            "on_part_data": part_data,
            "on_part_end": part_end,
        }

    def _begin(self, disposition: bytes) -> None:
        _, options = parse_options_header(disposition)
        if options.get(b"name") != FIELD.encode() or self.part.started:
            return  # another field: ignored
        raw = options.get(b"filename*") or options.get(b"filename") or b""
        self.filename = raw.decode("utf-8", "replace")
        self.in_file = self.part.started = True

    async def chunks(self, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        """The file's bytes as the body arrives; a body without a `file` field is a 422."""
        async for received in body:
            try:
                self.parser.write(received)
            except Exception as error:  # python-multipart's parse errors
                raise invalid("body.file", f"The multipart body is malformed: {error}") from None
            if self.part.data:
                pending, self.part.data = self.part.data, []
                for chunk in pending:
                    yield chunk
            if self.part.ended:
                return
        if not self.part.started:
            raise invalid("body.file", "Send the file in a multipart field named `file`.")
        if not self.part.ended:
            raise invalid("body.file", "The upload ended before the file did.")
