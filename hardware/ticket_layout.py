"""How a ticket looks: a TicketDoc (or a follow-up's SlipDoc) becomes ESC/POS bytes and a PNG
preview. Pure (no I/O).

Chinese is drawn with Pillow and sent as a raster image: python-escpos sends Chinese as raw
GB18030 and printers differ in what they expect, so text as pixels is the only way a zh-Hant
ticket prints the same everywhere. Where printer-native commands are reliable they keep the
ticket small on a slow serial line: the big ASCII number (character size x4) and the QR code
(`GS ( k`). Layout "image" draws everything, number and QR included, for printers whose native
QR or large text is broken.

Printers sold in China and Taiwan carry their own GB18030 or Big5 font. `chinese = "gb18030"` or
`"big5"` sends Chinese lines as text in the printer's Chinese mode (FS &): a Chinese ticket is
then as small as an English one, which matters at 9600 baud. A line the chosen code cannot
carry (simplified characters in Big5) still goes as pixels.

Both outputs come from one list of blocks, so the preview shows what the printer gets.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Literal

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from hardware.fonts import load_font
from kiosk.devices import PrintDoc, SlipDoc, TicketDoc

Layout = Literal["compact", "image"]
Chinese = Literal["raster", "gb18030", "big5"]  # how Chinese lines travel in the compact layout
FS = b"\x1c"
PAPER_PIXELS = {80: 576, 58: 384}  # printable dots at 203 dpi
QR_MODULE_DOTS = {80: 8, 58: 6}


@dataclass(frozen=True)
class Paper:
    mm: int = 80

    @property
    def width(self) -> int:
        return PAPER_PIXELS[self.mm]

    @property
    def scale(self) -> float:
        return self.width / 576


@dataclass(frozen=True)
class Text:
    lines: tuple[str, ...]
    size: int  # pixels at 80 mm
    gap: int = 6


@dataclass(frozen=True)
class Number:
    number: str


@dataclass(frozen=True)
class QR:
    url: str


@dataclass(frozen=True)
class Rule:
    pass


Block = Text | Number | QR | Rule


@dataclass(frozen=True)
class RenderedTicket:
    escpos: bytes
    preview: Image.Image
    number: str = ""
    # offsets in `escpos` between whole commands, where the printer may be asked how it is
    # mid-ticket (never inside an image's bytes, where DLE EOT would be pixels)
    breaks: tuple[int, ...] = ()

    def preview_png(self) -> bytes:
        buf = io.BytesIO()
        self.preview.save(buf, format="PNG")
        return buf.getvalue()


def blocks_of(doc: PrintDoc) -> list[Block]:
    return slip_blocks(doc) if isinstance(doc, SlipDoc) else ticket_blocks(doc)


def slip_blocks(doc: SlipDoc) -> list[Block]:
    """The reply time is the slip's largest line: it is what the customer keeps it for."""
    blocks: list[Block] = [
        Text((doc.site_name,), 34),
        Rule(),
        Text((doc.heading,), 40),
        Text((doc.reference_line,), 28),
        Text(doc.matter_lines, 26),
        Rule(),
        Text((doc.reply_line,), 36),
        Text((doc.counter_line,), 26),
    ]
    if doc.status_url:
        blocks += [QR(doc.status_url), Text((doc.scan_line,), 24)]
    blocks.append(Text((doc.keep_line,), 24))
    return blocks


def ticket_blocks(doc: TicketDoc) -> list[Block]:
    service = f"{doc.service_name} · {doc.priority_line}" if doc.priority_line else doc.service_name
    return [
        Text((doc.welcome_line,), 26),
        Text((doc.site_name,), 34),
        Rule(),
        Text((service,), 40),
        Number(doc.number),
        Text((doc.ahead_line, doc.wait_line), 32),
        Text((doc.issued_line,), 24),
        QR(doc.status_url),
        Text((doc.scan_line, doc.phrase_line), 26),
    ]


# ---------------------------------------------------------------- drawing
_WORDS = re.compile(r"[\x21-\x7e]+|\s+|.")  # a run of ASCII (a word, "15:40", "A012") stays whole


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break a line to fit: between words for Latin text, between any characters for Chinese,
    never inside a number or a time ("15:4" / "0" reads as another time)."""
    if font.getlength(text) <= width:
        return [text]
    out: list[str] = []
    line = ""
    for tok in _WORDS.findall(text):
        trial = line + tok
        if font.getlength(trial.rstrip()) <= width or not line.strip():
            line = trial
        elif tok.isspace():
            out.append(line.rstrip())
            line = ""
        else:
            out.append(line.rstrip())
            line = tok
    if line.strip():
        out.append(line.rstrip())
    return out


def _text_image(block: Text, paper: Paper, font_path: str, language: str) -> Image.Image:
    font = load_font(font_path, max(12, round(block.size * paper.scale)), language)
    margin = round(8 * paper.scale)
    lines = [w for line in block.lines for w in _wrap(line, font, paper.width - 2 * margin)]
    ascent, descent = font.getmetrics()
    line_h = ascent + descent + block.gap
    img = Image.new("1", (paper.width, line_h * len(lines) + block.gap), 1)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        x = (paper.width - font.getlength(line)) / 2
        draw.text((x, block.gap + i * line_h), line, font=font, fill=0)
    return img


def _number_image(block: Number, paper: Paper, font_path: str) -> Image.Image:
    font = load_font(font_path, round(130 * paper.scale), "en")
    box = font.getbbox(block.number)
    h = int(box[3] - box[1]) + round(24 * paper.scale)
    img = Image.new("1", (paper.width, h), 1)
    ImageDraw.Draw(img).text(
        ((paper.width - (box[2] - box[0])) / 2 - box[0], round(12 * paper.scale) - box[1]),
        block.number,
        font=font,
        fill=0,
    )
    return img


def _qr_image(block: QR, paper: Paper) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=QR_MODULE_DOTS[paper.mm], border=2)
    qr.add_data(block.url)
    qr.make(fit=True)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("1")
    img = Image.new("1", (paper.width, code.height), 1)
    img.paste(code, ((paper.width - code.width) // 2, 0))
    return img


def _rule_image(paper: Paper) -> Image.Image:
    img = Image.new("1", (paper.width, 14), 1)
    ImageDraw.Draw(img).line((24, 7, paper.width - 24, 7), fill=0, width=2)
    return img


def _block_image(block: Block, paper: Paper, font_path: str, language: str) -> Image.Image:
    if isinstance(block, Text):
        return _text_image(block, paper, font_path, language)
    if isinstance(block, Number):
        return _number_image(block, paper, font_path)
    if isinstance(block, QR):
        return _qr_image(block, paper)
    return _rule_image(paper)


def _stack(images: list[Image.Image], width: int) -> Image.Image:
    out = Image.new("1", (width, sum(i.height for i in images) + 40), 1)
    y = 20
    for img in images:
        out.paste(img, (0, y))
        y += img.height
    return out


# ---------------------------------------------------------------- ESC/POS
def _ink_only(img: Image.Image) -> Image.Image:
    """Crop a centred text image to its ink (width a multiple of 8 dots). Sent with ESC a 1 the
    printer centres it again; a short line then costs a third of a full-width one on the wire."""
    box = Image.eval(img.convert("L"), lambda v: 255 - v).getbbox()
    if box is None:
        return img.crop((0, 0, 8, img.height))
    left, right = box[0], box[2]
    width = -(-(right - left + 4) // 8) * 8
    left = max(0, min(left - 2, img.width - width))
    return img.crop((left, 0, left + width, img.height))


def _native_text(p: Dummy, block: Text, paper: Paper) -> None:
    columns = _columns(paper)
    for line in block.lines:
        wide = block.size >= 34 and len(line) * 2 <= columns
        p.set(align="center", bold=block.size >= 30, double_height=block.size >= 34, double_width=wide)
        p.text(line + "\n")
    p.set_with_default(align="center")


def _columns(paper: Paper) -> int:
    return 48 if paper.mm == 80 else 32  # font A: 12 dots a column


def _width(text: str) -> int:
    """Columns a line takes: a Chinese character is two (24 dots), ASCII one."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def _wrap_columns(text: str, columns: int) -> list[str]:
    out, line = [], ""
    for ch in text:
        if line and _width(line + ch) > columns:
            out.append(line.rstrip())
            line = ch.lstrip()
        else:
            line += ch
    return out + [line] if line else out


def _native_cjk_text(p: Dummy, block: Text, paper: Paper, codec: str) -> bool:
    """Chinese lines in the printer's own font (FS & ... FS .). False if the code cannot carry
    them; the caller then draws the block."""
    try:
        for line in block.lines:
            line.encode(codec)
    except UnicodeEncodeError:
        return False
    wide = block.size >= 34 and all(_width(line) * 2 <= _columns(paper) for line in block.lines)
    p.set(align="center", bold=block.size >= 30, double_height=block.size >= 34, double_width=wide)
    columns = _columns(paper) // (2 if wide else 1)
    for line in block.lines:
        for part in _wrap_columns(line, columns) if _width(line) > columns else [line]:
            p._raw(FS + b"&" + part.encode(codec) + FS + b".\n")
    p.set_with_default(align="center")
    return True


def _printer(paper: Paper) -> Dummy:
    p = Dummy(profile="default")
    # our paper width, so python-escpos checks image widths against it (and stays quiet)
    p.profile.profile_data["media"]["width"]["pixels"] = paper.width
    return p


STRIP_ROWS = 16  # an image goes as strips of this many dot rows (1.2 KB at 80 mm): a status question fits between


def _image_in_strips(p: Dummy, img: Image.Image, breaks: list[int]) -> None:
    """The image as a stack of raster strips, each a whole command, so a stalled printer can be
    noticed between them instead of after the whole picture."""
    for top in range(0, img.height, STRIP_ROWS):
        p.image(img.crop((0, top, img.width, min(img.height, top + STRIP_ROWS))))
        breaks.append(len(p.output))


def render_ticket(
    doc: PrintDoc, font_path: str, paper: Paper = Paper(), layout: Layout = "compact", chinese: Chinese = "raster"
) -> RenderedTicket:
    blocks = blocks_of(doc)
    images = [_block_image(b, paper, font_path, doc.language) for b in blocks]
    preview = _stack(images, paper.width)

    p = _printer(paper)
    p.hw("INIT")
    p.set_with_default(align="center")
    breaks: list[int] = []
    if layout == "image":
        _image_in_strips(p, preview, breaks)
    else:
        p.ln()
        for block, img in zip(blocks, images):
            if isinstance(block, Number):
                size = 4 if paper.mm == 80 else 3
                p.set(align="center", bold=True, custom_size=True, width=size, height=size)
                p.text(block.number + "\n")
                p.set_with_default(align="center")
            elif isinstance(block, QR):
                p.ln()
                p.qr(block.url, native=True, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS[paper.mm])
                p.ln()
            elif isinstance(block, Rule):
                p.text("-" * (_columns(paper) - 4) + "\n")  # 44 bytes instead of ~900 as pixels
            elif isinstance(block, Text) and all(line.isascii() for line in block.lines):
                _native_text(p, block, paper)  # the printer's own font carries ASCII well
            elif isinstance(block, Text) and chinese != "raster" and _native_cjk_text(p, block, paper, chinese):
                pass
            else:
                _image_in_strips(p, _ink_only(img), breaks)
            breaks.append(len(p.output))
        p.ln()
    p.cut()
    data = p.output
    return RenderedTicket(data, preview, doc.number, tuple(sorted({b for b in breaks if 0 < b < len(data)})))
