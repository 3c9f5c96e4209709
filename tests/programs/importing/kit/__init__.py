__all__ = ["tool", "VERSION"]
VERSION = 3
