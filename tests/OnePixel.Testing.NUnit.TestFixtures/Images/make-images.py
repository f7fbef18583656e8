#!/usr/bin/env python3
"""Writes the 8x8 grayscale PNGs the plugin's test fixtures attack (run from this folder).

BrightCountClassifier calls an image bright when more than 32 of its 64 pixels are 128 or more.
Three images sit far from that boundary (no single pixel can move them); two sit on it, so one
changed pixel flips each: 2 of 5 fooled, a 40% success rate the tests gate on.
"""
import struct, zlib

def png(path, pixels):
    rows = b"".join(b"\x00" + bytes(pixels[y * 8:(y + 1) * 8]) for y in range(8))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

images = {
    "dark.png": ([0] * 64, "dark"),
    "light.png": ([255] * 64, "bright"),
    "speckled.png": ([200 if i % 6 == 0 else 30 for i in range(64)], "dark"),       # 11 bright
    "edge-dark.png": ([220] * 32 + [20] * 32, "dark"),                             # 32 bright: one more flips it
    "edge-bright.png": ([220] * 33 + [20] * 31, "bright"),                         # 33 bright: one fewer flips it
}
with open("labels.csv", "w") as labels:
    labels.write("file,label\n")
    for name, (pixels, label) in images.items():
        png(name, pixels)
        labels.write(f"{name},{label}\n")
with open("classes.txt", "w") as classes:
    classes.write("dark\nbright\n")
