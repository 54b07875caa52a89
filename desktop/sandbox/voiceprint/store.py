"""Enrolled voiceprints on disk: one JSON file per speaker, one reference embedding per take.

Layout: ``<root>/<engine name>/<sha256 of the name, 32 hex>.json`` holding
``{"version": 1, "name": ..., "engine": ..., "takes": [{"embedding": [...], "speech_s": ...,
"created": ...}]}``. Hashed file names are safe for any name (CJK, spaces, dots) on every file
system; the real name lives inside. Engines keep separate directories because their embeddings
are not comparable: switching engines means enrolling again, not silently scoring nonsense.
Writes go to a temporary file in the same directory and are renamed over the old one, so a crash
leaves the previous file, never half of one. Thread-safe: the service calls it from executor threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from desktop.sandbox.engines.base import Embedding

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MAX_TAKES = 20  # newest kept: bounds scoring time and file size for a speaker enrolled over and over


@dataclass(frozen=True)
class Take:
    embedding: Embedding
    speech_s: float
    created: str


def file_name(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".json"


class VoiceprintStore:
    def __init__(self, root: Path, engine: str) -> None:
        self.engine = engine
        self.directory = root / engine
        self._lock = threading.Lock()
        self._speakers: dict[str, list[Take]] = {}
        self._load()

    def _load(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for path in sorted(self.directory.glob("*.json")):
            try:
                doc = json.loads(path.read_text("utf-8"))
                name = doc["name"]
                takes = [
                    Take(np.asarray(t["embedding"], dtype=np.float32), float(t["speech_s"]), str(t["created"]))
                    for t in doc["takes"]
                ]
                if not isinstance(name, str) or not takes:
                    raise ValueError("no name or no takes")
            except (OSError, ValueError, KeyError, TypeError) as exc:
                # Keep the file for a human to look at; one broken speaker must not stop the service.
                log.warning("ignoring unreadable voiceprint file %s: %s", path.name, exc)
                continue
            self._speakers[name] = takes

    def speakers(self) -> dict[str, list[Embedding]]:
        """A snapshot: every enrolled name with its reference embeddings."""
        with self._lock:
            return {name: [t.embedding for t in takes] for name, takes in self._speakers.items()}

    def takes(self, name: str) -> list[Take]:
        with self._lock:
            return list(self._speakers.get(name, []))

    def names(self) -> list[str]:
        """Every enrolled name, sorted."""
        with self._lock:
            return sorted(self._speakers)

    def delete(self, name: str) -> int:
        """Forget ``name``: its file goes from disk and its takes from memory; returns how many
        takes were deleted (0: not enrolled)."""
        with self._lock:
            takes = self._speakers.pop(name, None)
            if takes is None:
                return 0
            (self.directory / file_name(name)).unlink(missing_ok=True)
            return len(takes)

    def add_take(self, name: str, embedding: Embedding, speech_s: float) -> int:
        """Store one more take for ``name`` (created on first use); returns its number of takes."""
        take = Take(
            np.asarray(embedding, dtype=np.float32),
            round(float(speech_s), 3),
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            takes = [*self._speakers.get(name, []), take][-MAX_TAKES:]
            self._write(name, takes)
            self._speakers[name] = takes
            return len(takes)

    def _write(self, name: str, takes: list[Take]) -> None:
        doc = {
            "version": FORMAT_VERSION,
            "name": name,
            "engine": self.engine,
            "takes": [
                {"embedding": [round(float(x), 7) for x in t.embedding], "speech_s": t.speech_s, "created": t.created}
                for t in takes
            ],
        }
        target = self.directory / file_name(name)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
