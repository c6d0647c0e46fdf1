#!/usr/bin/env python3
"""A self-extracting upload: a 64 KiB Windows program ("MZ") before a zip, the zip's offsets counted
from the start of the file (as WinZip's self-extractors and "zip -A" write them) or, with
--unadjusted, left counting from the zip's own start (a stub simply put before it).
Usage: sfx.py IN.zip OUT.exe [--unadjusted]"""
import struct
import sys

DOS = b"This program cannot be run in DOS mode.\r\r\n$"
STUB = ((b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + DOS + b"PE\x00\x00") +
        bytes(range(256)) * 256)[:65536]


def sfx(zip_bytes, adjust=True):
    z = bytearray(zip_bytes)
    if adjust:
        e = z.rfind(b"PK\x05\x06")
        cd_len, cd_off = struct.unpack_from("<II", z, e + 12)
        i = cd_off
        while i < cd_off + cd_len:
            n, x, c = struct.unpack_from("<HHH", z, i + 28)
            struct.pack_into("<I", z, i + 42, struct.unpack_from("<I", z, i + 42)[0] + len(STUB))
            i += 46 + n + x + c
        struct.pack_into("<I", z, e + 16, cd_off + len(STUB))
    return STUB + bytes(z)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(sfx(data, "--unadjusted" not in sys.argv[3:]))
