"""The page a customer's phone opens from the QR code on the ticket: the number, how many are
ahead, the estimated wait, updating by itself. No personal data: the link's token is random and
the page shows only the ticket."""

STATUS_PAGE = """<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>排隊進度 Queue status</title>
<style>
 body { font-family: "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif; margin: 0;
        background: #0b2545; color: #fff; text-align: center; }
 main { padding: 2rem 1rem; }
 .number { font-size: 5rem; font-weight: 700; color: #f2c14e; margin: .5rem 0; }
 .text { font-size: 1.6rem; margin: 1rem 0; }
 .small { font-size: 1rem; opacity: .8; }
</style></head>
<body><main>
 <div class="small" id="site"></div>
 <div class="small" id="service"></div>
 <div class="number" id="number">…</div>
 <div class="text" id="text"></div>
 <div class="text" id="wait"></div>
 <div class="small">每 10 秒自動更新 · updates every 10 s</div>
</main>
<script>
async function refresh() {
  try {
    const r = await fetch("/t/{{TOKEN}}.json", {cache: "no-store"});
    if (!r.ok) { document.getElementById("text").textContent = "找不到此號碼 / ticket not found"; return; }
    const d = await r.json();
    document.getElementById("site").textContent = d.site;
    document.getElementById("service").textContent = d.service;
    document.getElementById("number").textContent = d.number;
    document.getElementById("text").textContent = d.text;
    document.getElementById("wait").textContent = d.estimated_minutes ? ("約 " + d.estimated_minutes + " 分鐘 · about "
      + d.estimated_minutes + " min") : "";
  } catch (e) { /* offline for a moment: keep what is shown */ }
}
refresh(); setInterval(refresh, 10000);
</script></body></html>
"""
