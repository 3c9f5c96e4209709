# The compiler warns (on stderr) about `is` with a literal, and the program
# still runs.
x = 1
print(x is 1, x is not 'a')
