# Since 3.9, `python3 FILE.py` makes the main program's file name absolute:
# co_filename (and so the tracebacks' "File ..." lines) is the full path.
def f():
    pass


name = f.__code__.co_filename
print(name.startswith('/'), name.endswith('/diff_main_filename.py'))
