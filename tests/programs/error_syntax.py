# gilscope-only: a syntax error (missing colon) stops the program before it starts
print("never printed: the file does not compile")
if True
    print("inside")
