"""Checks a screenshot of a gyre report page (pure Python, no imaging library).

Prints one JSON line of measurements; exits 1 when the page looks blank or
the plots are missing: too small a file, too few non-white 100-px bands, or
one of the report's plot colours absent.
"""
import json
import struct
import sys
import zlib

# ReportPalette: accurate, candidate, ridge fill (blended on white), train step.
COLOURS = {
    "accurate": (0x00, 0x9E, 0x73),
    "candidate": (0xE6, 0x9F, 0x00),
    "ridge": (0xA2, 0xD6, 0xF3),
    "train_step": (0x00, 0x72, 0xB2),
}


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, width, height, colour = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0 or colour not in (2, 6):
                raise SystemExit(f"unsupported PNG (depth {depth}, colour {colour}, interlace {interlace})")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    size = len(open(path, "rb").read())
    width, height, channels, rows = read_png(path)
    band = 100
    bands = [0] * ((height + band - 1) // band)
    found = {name: 0 for name in COLOURS}
    for y, row in enumerate(rows):
        for x in range(0, width, 2):
            r, g, b = row[x * channels], row[x * channels + 1], row[x * channels + 2]
            if r < 235 or g < 235 or b < 235:
                bands[y // band] += 1
            for name, (cr, cg, cb) in COLOURS.items():
                if abs(r - cr) < 12 and abs(g - cg) < 12 and abs(b - cb) < 12:
                    found[name] += 1
    content = sum(1 for n in bands if n > 50)
    # The last content band: how far down the page reaches.
    last = max((k for k, n in enumerate(bands) if n > 50), default=-1)
    result = {"bytes": size, "width": width, "height": height, "bands": len(bands),
              "content_bands": content, "content_until_px": (last + 1) * band, "colour_pixels": found}
    print(json.dumps(result))
    problems = []
    if size < 30_000:
        problems.append("screenshot under 30 kB")
    if content < 12:
        problems.append(f"only {content} non-blank 100-px bands")
    problems += [f"no {name} pixels (plot missing?)" for name, n in found.items() if n < 50]
    if problems:
        print("; ".join(problems), file=sys.stderr)
        sys.exit(1)


main()
