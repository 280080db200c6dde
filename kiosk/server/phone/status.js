// The ticket's status page, live: the server pushes the page's content (server-sent events,
// this ticket only) whenever it changes; polling every 10 s is the fallback. "Alert me" unlocks
// sound and vibration (browsers allow them only after a tap), keeps the screen awake where the
// browser allows it, and rings at a few ahead and at the call. Nothing is loaded from elsewhere.
"use strict";
(function () {
  const token = decodeURIComponent(location.pathname.split("/")[2] || "");
  const $ = (id) => document.getElementById(id);
  const stored = () => { try { return localStorage.getItem("kiosk-lang"); } catch (e) { return null; } };
  let lang = stored() || document.documentElement.lang;
  let page = null;        // the content last shown
  let alertsOn = false;   // the customer tapped "Alert me"
  let audio = null;       // unlocked on that tap
  let wakeLock = null;
  let rung = {};          // what has rung already: "near", "called:<counter>"
  let stream = null, pollTimer = null, titleTimer = null;
  const baseTitle = document.title;

  function render(d) {
    page = d;
    document.documentElement.lang = d.lang;
    document.body.dataset.state = d.state;
    document.title = d.number + " · " + d.words.title;
    $("site").textContent = d.site;
    $("your-number").textContent = d.words.your_number;
    $("number").textContent = d.number;
    $("service").textContent = d.service;
    $("headline").textContent = d.headline;
    const ul = $("lines");
    ul.replaceChildren(...d.lines.map((t) => { const li = document.createElement("li"); li.textContent = t; return li; }));
    $("alert-me").textContent = d.words.alert_me;
    $("alert-how").textContent = d.words.alert_how;
    $("alerts-on").textContent = d.words.alerts_on;
    $("languages").setAttribute("aria-label", d.words.language);
    $("overlay-ok").textContent = d.words.ok;
    alertsOn = alertsOn || d.alerts_on;
    $("alerting").hidden = !d.can_alert || alertsOn;
    $("alerts-on").hidden = !d.can_alert || !alertsOn;
    $("live").textContent = d.words.live + " · " + d.updated;
    $("text-label").textContent = d.words.text_number;
    $("text-me").textContent = d.words.text_me;
    $("text-how").textContent = d.words.text_how;
    $("texting").hidden = !d.texts || !!d.texting;
    $("text-to").hidden = !d.texts || !d.texting;
    $("text-to").textContent = d.texting ? d.words.text_to.replace("{to}", d.texting) : "";
    for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-pressed", String(b.dataset.lang === d.lang));
    if (d.alert === "called") announce("called:" + d.counter, d);
    else if (d.alert === "near" && alertsOn) announce("near", d);
    if (d.alert !== "called" && !$("overlay").hidden && $("overlay").dataset.kind === "called") closeOverlay();
    if (!d.open) releaseWakeLock();
  }

  // ---- the call, full-screen; sound and vibration once the customer asked for them
  function announce(what, d) {
    if (rung[what]) return;
    rung[what] = true;
    const o = $("overlay");
    o.dataset.kind = d.alert;
    $("overlay-number").textContent = d.number;
    $("overlay-headline").textContent = d.headline;
    $("overlay-where").textContent = d.alert === "called" ? (d.where || "") : (d.lines[0] || "");
    o.hidden = false;
    $("overlay-ok").focus();
    if (!alertsOn) return;
    chime(d.alert === "called" ? 3 : 1);
    if (navigator.vibrate) navigator.vibrate(d.alert === "called" ? [400, 150, 400, 150, 800] : [300, 150, 300]);
    if (document.hidden) {
      flashTitle(d.number + " · " + d.headline);
      if (window.isSecureContext && "Notification" in window && Notification.permission === "granted") {
        try { new Notification(d.number, { body: d.headline, tag: "ticket", renotify: true }); } catch (e) { /* not here */ }
      }
    }
  }
  function closeOverlay() { $("overlay").hidden = true; }
  $("overlay-ok").addEventListener("click", () => { closeOverlay(); $("headline").focus(); });

  function chime(times) {
    if (!audio) return;
    let t = audio.currentTime + 0.05;
    for (let i = 0; i < times; i++) {
      for (const [freq, len] of [[880, 0.22], [660, 0.32]]) {
        const osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.6, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + len);
        osc.connect(gain).connect(audio.destination);
        osc.start(t); osc.stop(t + len);
        t += len + 0.05;
      }
      t += 0.35;
    }
  }
  function flashTitle(text) {
    clearInterval(titleTimer);
    let on = false;
    titleTimer = setInterval(() => { on = !on; document.title = on ? "🔔 " + text : baseTitle; }, 1000);
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      clearInterval(titleTimer);
      if (page) document.title = page.number + " · " + page.words.title;
      if (alertsOn && page && page.open) keepAwake();
    }
  });

  async function keepAwake() {
    try { if ("wakeLock" in navigator && !wakeLock) { wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; }); } } catch (e) { /* not allowed here */ }
  }
  function releaseWakeLock() { if (wakeLock) { wakeLock.release(); wakeLock = null; } }

  $("alert-me").addEventListener("click", async () => {
    alertsOn = true;
    try { const Ctx = window.AudioContext || window.webkitAudioContext; audio = audio || new Ctx(); await audio.resume(); chime(1); }
    catch (e) { audio = null; }
    if (navigator.vibrate) navigator.vibrate(200);
    keepAwake();
    if (window.isSecureContext && "Notification" in window && Notification.permission === "default") {
      try { Notification.requestPermission(); } catch (e) { /* not here */ }
    }
    fetch("/t/" + encodeURIComponent(token) + "/alerts", { method: "POST", cache: "no-store" }).catch(() => {});
    if (page) render(page);
    $("alerts-on").focus();
  });

  // ---- a text message at a few ahead and at the call (where the hall has a modem)
  $("texting").addEventListener("submit", async (e) => {
    e.preventDefault();
    const typed = $("text-number").value.trim();
    const digits = typed.replace(/[\s().-]/g, "");
    if (!/^\+?[0-9]{6,15}$/.test(digits)) { $("text-problem").textContent = page.words.text_bad; return; }
    $("text-problem").textContent = "";
    try {
      const r = await fetch("/t/" + encodeURIComponent(token) + "/texts", {
        method: "POST", cache: "no-store", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ phone: typed }) });
      if (!r.ok) { $("text-problem").textContent = page.words.text_bad; return; }
      const answer = await r.json();
      $("text-number").value = "";
      render(Object.assign({}, page, { texting: answer.to }));
      $("text-to").focus();
    } catch (err) { lost(); }
  });

  // ---- the language: the customer's choice stays on this phone
  for (const b of document.querySelectorAll("nav button")) {
    b.addEventListener("click", () => {
      lang = b.dataset.lang;
      try { localStorage.setItem("kiosk-lang", lang); } catch (e) { /* private mode */ }
      connect();
    });
  }

  // ---- live: the event stream, or polling where there is none
  function url(suffix) { return "/t/" + encodeURIComponent(token) + suffix + "?lang=" + encodeURIComponent(lang); }
  function lost() { if (page) $("live").textContent = page.words.reconnecting; }
  async function poll() {
    try {
      const r = await fetch(url(".json"), { cache: "no-store" });
      if (r.ok) render(await r.json()); else lost();
    } catch (e) { lost(); }
  }
  function startPolling() { if (!pollTimer) { poll(); pollTimer = setInterval(poll, 10000); } }
  function connect() {
    if (stream) stream.close();
    clearInterval(pollTimer); pollTimer = null;
    if (!("EventSource" in window)) { startPolling(); return; }
    stream = new EventSource(url("/live"));
    stream.onmessage = (e) => { render(JSON.parse(e.data)); if (!page.open && page.state === "finished") stream.close(); };
    stream.onerror = () => {
      lost();
      // the browser retries by itself; a refusal (the server full, or gone) closes it: poll instead
      if (stream.readyState === EventSource.CLOSED) startPolling();
    };
  }
  connect();
})();
