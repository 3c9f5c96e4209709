# gilscope-only: CPython 3.9's messages (3.10+ mention unions, and name
# the type that is not subscriptable).
for args in [(1, 1), (1, (int, 2))]:
    try:
        print(isinstance(*args))
    except TypeError as e:
        print("TypeError:", e)
for args in [(1, int), (int, 1), (int, (str, 1))]:
    try:
        print(issubclass(*args))
    except TypeError as e:
        print("TypeError:", e)
for cls in [int, str, object]:
    try:
        cls[0]
    except TypeError as e:
        print("TypeError:", e)
