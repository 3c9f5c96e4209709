print("shapes.circle runs:", __name__, __package__)


class Circle:
    def __init__(self, r):
        self.r = r

    def area(self):
        return 3 * self.r * self.r
