# gilscope-only: writes and removes a scratch file in /tmp
# read(n) counts characters, as in CPython: read(1) of a file holding one
# 4-byte UTF-8 character returns the whole character (it returned a lone
# lead byte, an invalid str that ord() then read past the end of).
import os

name = "/tmp/gilscope-crash-file-read-%d.txt" % os.getpid()
f = open(name, "w")
f.write("\U0001F600\u00e9x")
f.close()
f = open(name)
c = f.read(1)
rest = f.read(2)
f.close()
os.remove(name)
print(len(c), ord(c))
print(len(rest), [ord(ch) for ch in rest])
