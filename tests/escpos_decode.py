"""Read back what we send a printer: raster images (GS v 0), native QR data (GS ( k) and plain
text. Just enough ESC/POS to check a ticket from its bytes, written from the Epson command
reference, independent of the code that produced them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS = 0x1B, 0x1D, 0x1C


@dataclass
class Decoded:
    rasters: list[Image.Image] = field(default_factory=list)
    qr_data: list[bytes] = field(default_factory=list)
    text: bytearray = field(default_factory=bytearray)
    cut: bool = False
    align_center_before_raster: list[bool] = field(default_factory=list)
    chinese_text: list[bytes] = field(default_factory=list)  # each run between FS & and FS .

    def chinese(self, codec: str) -> list[str]:
        return [run.decode(codec) for run in self.chinese_text]

    def stacked(self) -> Image.Image:
        """All rasters one under the other, centred, on white: what the paper shows (GS v 0
        feeds the paper by the image's height, so strips of one picture touch)."""
        width = max(r.width for r in self.rasters)
        out = Image.new("L", (width, sum(r.height for r in self.rasters)), 255)
        y = 0
        for r in self.rasters:
            out.paste(r.convert("L"), ((width - r.width) // 2, y))
            y += r.height
        return out


def decode(data: bytes) -> Decoded:
    out = Decoded()
    center = False
    in_chinese = False
    raster_end = -1  # where the last raster image ended
    i = 0
    while i < len(data):
        b = data[i]
        if b == FS and data[i + 1 : i + 2] == b"&":  # Chinese character mode on
            in_chinese = True
            out.chinese_text.append(b"")
            i += 2
        elif b == FS and data[i + 1 : i + 2] == b".":  # ... and off
            in_chinese = False
            i += 2
        elif in_chinese:
            out.chinese_text[-1] += bytes([b])
            i += 1
        elif b == GS and data[i + 1 : i + 3] == b"v0":  # GS v 0 m xL xH yL yH d...
            xb = data[i + 4] | data[i + 5] << 8
            h = data[i + 6] | data[i + 7] << 8
            raw = data[i + 8 : i + 8 + xb * h]
            img = Image.frombytes("1", (xb * 8, h), raw).point(lambda v: 255 - v)  # 1 bit = black dot
            if i == raster_end and out.rasters and out.rasters[-1].width == img.width:
                # a strip right after a strip of the same width: on paper, one picture
                above = out.rasters[-1]
                joined = Image.new(img.mode, (img.width, above.height + img.height))
                joined.paste(above.convert(img.mode), (0, 0))
                joined.paste(img, (0, above.height))
                out.rasters[-1] = joined
            else:
                out.rasters.append(img)
                out.align_center_before_raster.append(center)
            i += 8 + xb * h
            raster_end = i
        elif b == GS and data[i + 1 : i + 3] == b"(k":  # GS ( k pL pH cn fn ...
            plen = data[i + 3] | data[i + 4] << 8
            cn, fn = data[i + 5], data[i + 6]
            if cn == 0x31 and fn == 0x50:  # store QR data
                out.qr_data.append(bytes(data[i + 8 : i + 5 + plen]))
            i += 5 + plen
        elif b == GS and data[i + 1 : i + 2] == b"V":  # cut
            out.cut = True
            i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
        elif b == GS and data[i + 1 : i + 2] == b"!":
            i += 3
        elif b == ESC and data[i + 1 : i + 2] == b"a":  # justification
            center = data[i + 2] in (1, 0x31)
            i += 3
        elif b == ESC and data[i + 1 : i + 2] in (b"@",):
            i += 2
        elif b == ESC:  # other ESC x n: skip the argument
            i += 3
        elif b == GS:
            i += 3
        else:
            out.text.append(b)
            i += 1
    return out
