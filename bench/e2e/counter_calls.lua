local Counter = {}
Counter.__index = Counter
function Counter:inc(n) self.value = self.value + n end
function Counter:get() return self.value end
local c = setmetatable({ value = 0 }, Counter)
for i = 0, 1000000 - 1 do c:inc(1) end
print(c:get())
