#!/usr/bin/env python3
"""Writes a second version of the sample's roads Shapefile for hard/reingest.sh.

  roads_variant.py SRC_DIR OUT_DIR MARKER

Copies roads.shp/.shx/.prj/.cpg from SRC_DIR and writes roads.dbf with the pavement field (舗装)
set to MARKER on every record; everything else is byte for byte the same. The DBF is edited in
place (fixed-width records, CP932 field names) so the file stays exactly what the city exports.
"""
import shutil
import struct
import sys
from pathlib import Path

FIELD = "舗装"


def main(src: Path, out: Path, marker: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for ext in ("shp", "shx", "prj", "cpg"):
        if (src / f"roads.{ext}").exists():
            shutil.copyfile(src / f"roads.{ext}", out / f"roads.{ext}")
    data = bytearray((src / "roads.dbf").read_bytes())
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    offset, at, width = 1, 32, None
    while data[at] != 0x0D:
        name = bytes(data[at:at + 11]).split(b"\0")[0].decode("cp932")
        size = data[at + 16]
        if name == FIELD:
            width = size
            break
        offset += size
        at += 32
    if width is None:
        sys.exit(f"{src}/roads.dbf has no field {FIELD}")
    value = marker.encode("cp932")
    if len(value) > width:
        sys.exit(f"marker {marker!r} is wider than {FIELD} ({width} bytes)")
    value = value.ljust(width, b" ")
    for i in range(count):
        start = header_len + i * record_len + offset
        data[start:start + width] = value
    (out / "roads.dbf").write_bytes(data)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
