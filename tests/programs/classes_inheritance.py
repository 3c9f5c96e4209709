# Single inheritance: overriding, Base.__init__(self), super().__init__().
class Animal:
    kind = "animal"

    def __init__(self, name):
        self.name = name

    def speak(self):
        return "..."

    def describe(self):
        return self.name + " the " + self.kind + " says " + self.speak()

class Dog(Animal):
    kind = "dog"

    def __init__(self, name, tricks):
        Animal.__init__(self, name)
        self.tricks = tricks

    def speak(self):
        return "Woof"

class Puppy(Dog):
    def __init__(self, name):
        super().__init__(name, [])
        self.age = 0

    def speak(self):
        return super().speak() + " (squeaky)"

class Cat(Animal):
    kind = "cat"

    def speak(self):
        return "Meow"

for a in [Animal("Generic"), Dog("Rex", ["sit"]), Puppy("Bit"), Cat("Tom")]:
    print(a.describe())

p = Puppy("Tiny")
print(p.name, p.tricks, p.age)
print(isinstance(p, Puppy), isinstance(p, Dog), isinstance(p, Animal), isinstance(p, Cat))
print(isinstance(Dog("a", []), Puppy))
print(isinstance(Cat("c"), Dog), isinstance(Cat("c"), Animal))
print(Puppy.kind, Cat.kind, Animal.kind)
