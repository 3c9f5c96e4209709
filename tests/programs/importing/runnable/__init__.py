print("runnable/__init__ runs as", __name__)
