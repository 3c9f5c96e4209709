from .. import DEFAULT


def volume(r):
    return 4 * r * r * r


KIND = DEFAULT
