local s = ""
for i = 0, 100000 - 1 do s = s .. tostring(i) end
print(#s)
