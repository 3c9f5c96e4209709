# dict | dict and |= (new in 3.9), dict.fromkeys, comparing views.
print({'a': 1} | {'b': 2})
d = {'a': 1}
d |= {'c': 3}
print(d)
print(dict.fromkeys('ab', 0))
print({'x': 1}.items() == {'x': 1}.items(), {'x': 1}.keys() == {'x': 1}.keys())
print(len({'x': 1}.items()), len({'x': 1}.keys()))
