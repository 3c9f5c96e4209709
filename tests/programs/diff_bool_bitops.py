# &, |, ^ of two bools give a bool, both folded at compile time and at
# run time; with an int they give an int.
print(True & False, True | False, True ^ True, False | False)
t = True
f = False
print(t & f, t | f, t ^ t, t & t)
t &= f
print(t, True & 3, 1 | False)
