# sys.exit(n) ends the program with status n, running finally blocks first.
import sys

def main():
    print("working")
    try:
        sys.exit(3)
    finally:
        print("finally still runs")
    print("never printed")

main()
print("never printed either")
