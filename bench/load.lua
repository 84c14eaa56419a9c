-- wrk script: cycles through real-style questions for both cities against /api/answer.
-- Used by bench/load.sh; paths are URL-encoded once at start-up.
local questions = {
  "成年後見について相談したい", "お金がなくて家賃が払えない", "息子が何年も部屋から出てこない",
  "親が認知症でお金の管理ができなくなった", "介護保険の申請はどこでするの", "障害者手帳をとりたい",
  "子育てがつらい", "ボランティアを始めたい", "夫からのDV", "出所後の住まいと仕事",
  "在宅医療の相談", "避難行動要支援者名簿", "どこに相談すればいいかわからない", "死にたい",
  "せいねんこうけん", "家賃", "眠れない日が続いている", "民生委員になりたい",
}
local cities = { "sagamihara", "tsuruoka" }
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
-- FORM=compact in the environment asks for the compact answer form.
local form = os.getenv("FORM")
local suffix = form and ("&form=" .. form) or ""
local paths = {}
for _, q in ipairs(questions) do
  for _, c in ipairs(cities) do
    table.insert(paths, "/api/answer?q=" .. encode(q) .. "&city=" .. c .. suffix)
  end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
