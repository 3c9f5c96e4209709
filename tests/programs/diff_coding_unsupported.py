#!/usr/bin/env python3
# vim: set fileencoding=cp1252 :
# gilscope-only: CPython reads cp1252 source; gilscope reads only UTF-8, ASCII and Latin-1, and says so
print("never printed")
