print("shadow dis imported")


def dis(x):
    print("not the real dis")
