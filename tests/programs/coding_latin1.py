# -*- coding: latin-1 -*-
# A Latin-1 file (declared on line 1): its bytes are decoded before the
# program is compiled, so "é" is one character, here and in a traceback.
s = "café crème"
print(s, len(s), s.upper())
try:
    raise ValueError("naïve")
except ValueError as e:
    print(e, len(str(e)))
