# The gc module beyond collect(): callbacks, garbage and DEBUG_SAVEALL,
# is_tracked, get_referrers / get_referents, get_objects, freeze, the
# debug flags.
import gc

print(gc.isenabled(), gc.get_threshold(), gc.get_debug())
print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL,
      gc.DEBUG_LEAK)
print("garbage:", gc.garbage, "callbacks:", gc.callbacks)

# gc.callbacks: called around every collection with the phase and a dict.
log = []


def watch(phase, info):
    log.append((phase, info["generation"], info["collected"] > 0, info["uncollectable"]))


gc.callbacks.append(watch)
x = []
x.append(x)
del x
gc.collect()
gc.collect(0)
gc.callbacks.remove(watch)
gc.collect()
for entry in log:
    print(entry)

# An error in a callback is printed and ignored; the collection happens.
def broken(phase, info):
    raise RuntimeError("callback " + phase)


gc.callbacks.append(broken)
print("collect returns an int:", type(gc.collect()).__name__)
gc.callbacks.clear()

# gc.collect() from a callback does nothing (a collection is running).
def nested(phase, info):
    print(phase, "nested collect:", gc.collect())


gc.callbacks.append(nested)
gc.collect()
gc.callbacks.clear()

# DEBUG_SAVEALL: the garbage goes to gc.garbage instead of being freed.
gc.set_debug(gc.DEBUG_SAVEALL)
print(gc.get_debug() == gc.DEBUG_SAVEALL)
cyc = [1, 2, 3]
cyc.append(cyc)
del cyc
gc.collect()
print("saved lists:", [len(o) for o in gc.garbage if type(o) is list])
gc.set_debug(0)
gc.garbage.clear()
print("garbage:", gc.garbage)

# is_tracked: atoms are never tracked, containers are.
print(gc.is_tracked(1), gc.is_tracked("s"), gc.is_tracked(None), gc.is_tracked(1.5))
print(gc.is_tracked([]), gc.is_tracked(gc.is_tracked), gc.is_tracked(lambda: 0))


class C:
    pass


print(gc.is_tracked(C()), gc.is_tracked(C))
# Dicts are tracked only once they hold a container (CPython's rule).
print(gc.is_tracked({}), gc.is_tracked({"a": 1}), gc.is_tracked({"a": []}),
      gc.is_tracked(dict(a=1)), gc.is_tracked(dict(a=[])))
d = {}
d["x"] = 1
print(gc.is_tracked(d))
d["y"] = [1]
print(gc.is_tracked(d))
del d["y"]
print(gc.is_tracked(d), "until a full collection:")
gc.collect()
print(gc.is_tracked(d))
print(gc.is_tracked({"k": {}}), gc.is_tracked(d.copy()), gc.is_tracked({"a": []}.copy()))
# A tuple of atoms stops being tracked once a collection has seen it.
t = (1, 2, "three")
u = ([],)
gc.collect()
print(gc.is_tracked(t), gc.is_tracked(u))

# get_referents / get_referrers.
inner = ["inner"]
outer = [inner, 42]
print(gc.get_referents(outer) == [inner, 42])
print(outer in gc.get_referrers(inner))
print(gc.get_referents(1, "x"))

# get_objects: the tracked objects, all or one generation.
marker = [object()]
print(any(o is marker for o in gc.get_objects()))
print(type(gc.get_objects(generation=0)).__name__)
for bad in (3, -2):
    try:
        gc.get_objects(bad)
    except ValueError as e:
        print("ValueError:", e)

# freeze: everything tracked moves to the permanent generation.
gc.freeze()
print(gc.get_freeze_count() > 0, gc.get_count()[0] <= 1)
frozen = [1]
frozen.append(frozen)
gc.unfreeze()
print(gc.get_freeze_count())

# Argument errors.
for call in (lambda: gc.set_debug(), lambda: gc.is_tracked(),
             lambda: gc.freeze(1)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
print("end")
