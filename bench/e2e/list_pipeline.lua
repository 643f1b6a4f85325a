local n = tonumber(arg[1])
local function map(xs, f) local r = {} for i = 1, #xs do r[i] = f(xs[i]) end return r end
local function filter(xs, p) local r = {} for i = 1, #xs do if p(xs[i]) then r[#r + 1] = xs[i] end end return r end
local function fold(xs, a, f) for i = 1, #xs do a = f(a, xs[i]) end return a end
local xs = {}
for i = 0, n - 1 do xs[#xs + 1] = i end
local doubled = map(xs, function(x) return x * 2 end)
local kept = filter(doubled, function(x) return x % 3 == 0 end)
print(fold(kept, 0, function(a, x) return a + x end))
