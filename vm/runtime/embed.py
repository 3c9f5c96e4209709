#!/usr/bin/env python3
"""embed.py SRC.py OUT.c SYMBOL -- make a Python source file a C string."""
import sys

src, out, symbol = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
lines = ["/* generated from %s by embed.py: do not edit */" % src.split("/")[-1],
         "const char %s[] =" % symbol]
for line in text.splitlines(True):
    esc = line.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lines.append('    "%s"' % esc)
lines.append('    "";')
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
