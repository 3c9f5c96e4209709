def use():
    return "tool used"
