s = ""
for i in range(100_000):
    s = s + str(i)
print(len(s))
