# gilscope: dis
# A function whose body is only a docstring: the implicit `return None`
# is on the docstring's line, not the `def` line.
def h():
    '''only doc'''
