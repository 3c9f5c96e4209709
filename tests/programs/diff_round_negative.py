# round() of an int with negative ndigits rounds half to even.
print(round(5, -1), round(15, -1), round(25, -1), round(1234, -2), round(-15, -1))
print(round(1250, -2), round(1350, -2), round(7, 0), round(7, 3))
