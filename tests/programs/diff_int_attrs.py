# int attributes and methods: real, imag, bit_length(), pow() with a modulus.
print((6).real, (6).imag, (-6).real, True.real)
print((255).bit_length(), (0).bit_length(), (-5).bit_length())
print(pow(2, 10, 1000), pow(3, 4, 5), pow(-2, 3, 5))
