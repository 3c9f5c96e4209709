def greet(args):
    return "hello " + " ".join(args)
