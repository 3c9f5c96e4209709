import sys
print("runnable.tool runs as", __name__, repr(__package__))
print(sys.argv[1:], sys.argv[0].endswith("runnable/tool.py"))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
