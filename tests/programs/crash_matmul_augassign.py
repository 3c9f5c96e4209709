# gilscope-only: `@=` must be refused like `@` (it compiled to an unknown opcode and crashed)
print("never printed: the file does not compile")
x = 1
x @= 3
