# gilscope: dis
# SETUP_ANNOTATIONS opens a module or class body that annotates; a simple
# name's annotation is stored into __annotations__, other targets only
# evaluate theirs; a function never evaluates its local ones; a def's
# annotations become a BUILD_CONST_KEY_MAP for MAKE_FUNCTION (flag 4).
x: int = 0
y: "str"
(z): float = 1.5
obj.attr: int
table[1:2, k]: list = []

class C:
    a: int = 1
    __p: str

    def m(self, v: int, /, w: "W" = 2, *rest: str, k: 1 + 1, **kw: dict) -> None:
        local: int = v
        other: Unknown
        self.field: int = w

if x:
    for i in range(3):
        inner: int = i
