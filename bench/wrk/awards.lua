-- wrk script of bench/served.py: every request is POST <url> with a JSON body awarding the badge to a recipient
-- of its own ("<prefix>.<thread>.<n>@exemple.fr"); the Authorization and Content-Type headers come from -H.
--   wrk -t4 -c4 -d10s -s bench/wrk/awards.lua -H 'Authorization: Bearer KEY' \
--       -H 'Content-Type: application/json' http://127.0.0.1:8000/api/v1/achievements/ID/awards -- PREFIX
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  prefix = args[1] or "wrk"
  sent = 0
end

function request()
  sent = sent + 1
  local body = string.format('{"recipient": {"email": "%s.%d.%d@exemple.fr"}}', prefix, thread_number, sent)
  return wrk.format("POST", nil, nil, body)
end
