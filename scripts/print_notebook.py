#!/usr/bin/env python3
"""Print an executed notebook's cells and outputs in readable form.

    print_notebook.py NOTEBOOK.ipynb

Exit status 1 if any code cell has an error output (or was not executed), else 0.
"""
from __future__ import annotations

import base64
import re
import sys

import nbformat

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _indent(text: str, prefix: str = "    ") -> str:
    text = ANSI.sub("", text).rstrip("\n")
    return "\n".join(prefix + line for line in text.split("\n"))


def _image_size(mime: str, data) -> str:
    raw = _text(data)
    if mime == "image/svg+xml":
        return f"{len(raw.encode())} bytes"
    try:
        blob = base64.b64decode(raw)
    except ValueError:
        return f"{len(raw)} bytes"
    size = f"{len(blob)} bytes"
    if mime == "image/png" and blob[:8] == b"\x89PNG\r\n\x1a\n" and len(blob) >= 24:
        w, h = int.from_bytes(blob[16:20], "big"), int.from_bytes(blob[20:24], "big")
        size = f"{w}x{h} {size}"
    return size


def describe_bundle(data: dict) -> list[str]:
    lines = []
    for mime, value in data.items():
        if mime.startswith("image/"):
            lines.append(f"    [{mime} {_image_size(mime, value)}]")
    if "text/plain" in data:
        lines.append(_indent(_text(data["text/plain"])))
    else:
        for mime in ("text/markdown", "text/html", "application/json", "text/latex"):
            if mime in data:
                lines.append(f"    [{mime}]")
                lines.append(_indent(_text(data[mime]) if mime != "application/json" else str(data[mime])))
                break
    for mime in data:
        if not mime.startswith("image/") and mime not in ("text/plain",) and not any(
            mime in line for line in lines
        ):
            lines.append(f"    [{mime} {len(str(data[mime]))} chars]")
    return lines


def main(path: str) -> int:
    nb = nbformat.read(path, as_version=4)
    failed = []
    n_code = 0
    for index, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        n_code += 1
        count = cell.get("execution_count")
        print(f"--- cell {index} [{count if count is not None else ' '}] " + "-" * 50)
        print(_indent(cell.source, ">>> "))
        if count is None and cell.source.strip():
            failed.append((index, "not executed"))
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                print(f"  ({out.get('name')})")
                print(_indent(_text(out.get("text", ""))))
            elif kind in ("execute_result", "display_data"):
                label = "result" if kind == "execute_result" else "display"
                print(f"  ({label})")
                for line in describe_bundle(out.get("data", {})):
                    print(line)
            elif kind == "error":
                print(f"  (error) {out.get('ename')}: {out.get('evalue')}")
                tb = "\n".join(out.get("traceback", []))
                if tb:
                    print(_indent(tb))
                failed.append((index, f"{out.get('ename')}: {out.get('evalue')}"))
    print("-" * 70)
    if failed:
        for index, why in failed:
            print(f"FAILED cell {index}: {why}")
        print(f"quickstart: {len(failed)} of {n_code} code cells failed ({path})")
        return 1
    print(f"quickstart: all {n_code} code cells ran without error ({path})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
