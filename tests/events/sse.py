"""Reading a Server-Sent Events answer frame by frame."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class Frame:
    id: int | None
    event: str | None
    data: dict | None
    comment: str | None


def parse_frame(text: str) -> Frame:
    fields: dict[str, str] = {}
    comment = None
    for line in text.strip("\n").split("\n"):
        if line.startswith(":"):
            comment = line[1:].strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            fields[name] = value.lstrip(" ")
    return Frame(id=int(fields["id"]) if "id" in fields else None, event=fields.get("event"),
                 data=json.loads(fields["data"]) if "data" in fields else None, comment=comment)


class Stream:
    """A streamed test-client answer; ``events(n)`` reads until ``n`` events (heartbeats skipped)."""

    def __init__(self, response):
        self.response = response
        self.chunks = response.iter_encoded()
        self.buffer = ""

    def frames(self):
        while True:
            while "\n\n" not in self.buffer:
                self.buffer += next(self.chunks).decode()
            text, _, self.buffer = self.buffer.partition("\n\n")
            yield parse_frame(text)

    def events(self, count: int, *, max_frames: int = 50) -> list[Frame]:
        found = []
        for n, frame in enumerate(self.frames()):
            if frame.event:
                found.append(frame)
            if len(found) == count or n >= max_frames:
                return found

    def close(self):
        self.response.close()
