local Ping, Pong = { received = 0 }, { received = 0 }
local function on_message(me, counter, partner, max_count)
  me.received = me.received + 1
  if counter < max_count then
    local r = on_message(partner, counter + 1, me, max_count)
    return r
  end
  return counter
end
local last = on_message(Ping, 0, Pong, 100000)
print(string.format("(%d, %d, %d)", last, Ping.received, Pong.received))
