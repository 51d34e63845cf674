"""Where the benchmarks write their numbers: a section of ``docs/performance.md`` between two
``<!-- name -->`` markers, replaced whole each time."""

from __future__ import annotations

from pathlib import Path

PERFORMANCE = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def write_section(name: str, lines: list[str], doc: Path = PERFORMANCE) -> None:
    """Replace the text between the ``<!-- name -->`` markers with ``lines`` (appended when absent)."""
    marker = f"<!-- {name} -->"
    parts = doc.read_text(encoding="utf-8").split(marker)
    body = "\n".join([marker, *lines, marker])
    if len(parts) < 3:
        doc.write_text(parts[0].rstrip("\n") + "\n\n" + body + "\n", encoding="utf-8")
    else:
        doc.write_text(parts[0] + body + marker.join(parts[2:]), encoding="utf-8")
    print(f"written to {doc}")
