# -*- coding: klingon -*-
# An encoding declaration naming an encoding that does not exist: the
# file cannot be read, so nothing runs (CPython 3.9 prints no line).
print("never printed")
