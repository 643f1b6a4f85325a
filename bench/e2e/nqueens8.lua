local function safe(qs, k, col)
  for i = 1, k do
    local q, d = qs[k - i + 1], i
    if q == col or q == col + d or q == col - d then return false end
  end
  return true
end
local function place(n, row, qs)
  if row == n then return 1 end
  local count = 0
  for col = 0, n - 1 do
    if safe(qs, row, col) then
      qs[row + 1] = col
      count = count + place(n, row + 1, qs)
      qs[row + 1] = nil
    end
  end
  return count
end
print(place(8, 0, {}))
