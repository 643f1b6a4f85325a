def safe(qs, col):
    for d, q in enumerate(reversed(qs), start=1):
        if q == col or q == col + d or q == col - d:
            return False
    return True


def place(n, qs):
    if len(qs) == n:
        return 1
    count = 0
    for col in range(n):
        if safe(qs, col):
            qs.append(col)
            count += place(n, qs)
            qs.pop()
    return count


print(place(8, []))
