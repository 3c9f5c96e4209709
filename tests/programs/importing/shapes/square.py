print("shapes.square runs:", __name__, __package__)


def area(side):
    return side * side
