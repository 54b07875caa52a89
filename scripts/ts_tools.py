"""Small edits and checks on Qt .ts files that lupdate cannot do itself.

python scripts/ts_tools.py drop-context NAME FILE.ts...   remove a context from each file
python scripts/ts_tools.py unfinished FILE.ts             list messages still to translate
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message in a .ts file."""
    out = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{path}: a message without <translation>"
            out.append((name, message.findtext("source") or "", translation))
    return out


def unfinished(path: Path) -> list[tuple[str, str]]:
    """Messages with no translation yet (obsolete and vanished ones do not count)."""
    found = []
    for context, source, translation in messages(path):
        kind = translation.get("type")
        if kind in ("obsolete", "vanished"):
            continue
        text = "".join(translation.itertext()).strip()
        if kind == "unfinished" or not text:
            found.append((context, source))
    return found


def drop_context(name: str, path: Path) -> None:
    # Text surgery rather than ElementTree: lupdate's own layout stays, so diffs stay small.
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"<context>\s*<name>" + re.escape(name) + r"</name>.*?</context>\s*", re.DOTALL)
    new = pattern.sub("", text)
    if new != text:
        path.write_text(new, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "drop-context":
        for file in argv[2:]:
            drop_context(argv[1], Path(file))
        return 0
    if len(argv) == 2 and argv[0] == "unfinished":
        missing = unfinished(Path(argv[1]))
        for context, source in missing:
            print(f"{context}: {source!r}")
        return 1 if missing else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
