import sys
from functools import reduce

n = int(sys.argv[1])
xs = list(range(n))
doubled = list(map(lambda x: x * 2, xs))
kept = list(filter(lambda x: x % 3 == 0, doubled))
print(reduce(lambda a, x: a + x, kept, 0))
