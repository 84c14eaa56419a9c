#!/usr/bin/env python3
"""Regenerates richmenu.png (1200x810, six areas in a 3x2 grid) for the LINE rich menu.

The labels must match messages::line::RICHMENU_AREAS in src/messages.rs (a Rust unit
test checks the area count and the image size). Needs Pillow and a Japanese font
(Debian: fonts-ipafont-gothic). The PNG is committed; the binary embeds it, so
neither is needed to build or run.
"""
import sys
from PIL import Image, ImageDraw, ImageFont

FONT = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
W, H, COLS, ROWS = 1200, 810, 3, 2
AREAS = [
    ("介護・認知症", "#2E7D32"), ("子育て・こども", "#EF6C00"), ("生活・お金", "#1565C0"),
    ("こころ・ひきこもり", "#6A1B9A"), ("緊急の相談", "#C62828"), ("使い方", "#546E7A"),
]
img = Image.new("RGB", (W, H), "white")
draw = ImageDraw.Draw(img)
font = ImageFont.truetype(FONT, 46)
small = ImageFont.truetype(FONT, 26)
cw, ch = W // COLS, H // ROWS
for i, (label, color) in enumerate(AREAS):
    x, y = (i % COLS) * cw, (i // COLS) * ch
    draw.rectangle([x + 4, y + 4, x + cw - 5, y + ch - 5], fill=color)
    lines = label.replace("・", "・\n").split("\n")
    total = len(lines) * 60
    for j, line in enumerate(lines):
        w = draw.textlength(line, font=font)
        draw.text((x + (cw - w) / 2, y + (ch - total) / 2 + j * 60), line, font=font, fill="white")
    hint = "タップして相談"
    w = draw.textlength(hint, font=small)
    draw.text((x + (cw - w) / 2, y + ch - 70), hint, font=small, fill="white")
img.quantize(colors=32).save("richmenu.png", optimize=True)
print("richmenu.png", img.size)
