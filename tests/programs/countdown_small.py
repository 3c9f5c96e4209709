# The countdown loop of scenarios/countdown.py, without the timing.
def countdown(n):
    while n > 0:
        n -= 1
    return n

print(countdown(100000))
print(countdown(0), countdown(-5))
