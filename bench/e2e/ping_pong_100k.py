import sys

sys.setrecursionlimit(1_000_000)


class Obj:
    def __init__(self):
        self.received = 0

    def on_message(self, counter, partner, max_count):
        self.received += 1
        if counter < max_count:
            return partner.on_message(counter + 1, self, max_count)
        return counter


ping, pong = Obj(), Obj()
last = ping.on_message(0, pong, 100_000)
print(f"({last}, {ping.received}, {pong.received})")
