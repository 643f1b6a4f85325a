class Counter:
    def __init__(self):
        self.value = 0

    def inc(self, n):
        self.value += n

    def get(self):
        return self.value


c = Counter()
for i in range(1_000_000):
    c.inc(1)
print(c.get())
