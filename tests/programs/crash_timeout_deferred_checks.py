# gilscope-only
# gilscope-args: --cpython 3.10 --timeout 1
# Under 3.10 this loop checks only at its JUMP_ABSOLUTE, and every time the
# next instruction is the SETUP_FINALLY of the `try`, where 3.10 puts the
# check off.  That may delay a thread switch, never gilscope's own stop:
# --timeout must still end the run (it spun for ever once).
while True:
    try:
        pass
    except Exception:
        pass
