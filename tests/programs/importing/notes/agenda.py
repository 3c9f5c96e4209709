ITEMS = ["write", "test"]
