// The web manager view's own script (htmx does the swapping): the hall's events from
// /manage/live become "hall-<topic>" events on <body>, which each live region's hx-trigger
// listens for; a region being typed in is not replaced under the manager's fingers; a session
// that ended sends the page to the sign-in form.
(function () {
  "use strict";
  var signIn = function () {
    location.href = "/manage/sign-in?next=" + encodeURIComponent(location.pathname + location.search);
  };

  function listen() {
    var address = document.body.getAttribute("data-live");
    if (!address || !window.EventSource) return;
    var source = new EventSource(address);
    source.onmessage = function (e) {
      e.data.split(" ").forEach(function (topic) {
        if (topic) document.body.dispatchEvent(new CustomEvent("hall-" + topic));
      });
    };
    source.addEventListener("signed-out", function () { source.close(); signIn(); });
    source.onopen = function () { document.documentElement.classList.remove("offline"); };
    source.onerror = function () { document.documentElement.classList.add("offline"); };
  }

  function busy(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && active.matches("input, textarea, select")) return true;
    return Array.prototype.some.call(region.querySelectorAll("textarea"), function (x) { return x.value; });
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var region = e.detail.elt;
    if (region.id && /-live$/.test(region.id) && e.detail.requestConfig.verb === "get" && busy(region)) {
      e.preventDefault();
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    if (e.detail.xhr.status === 401) signIn();
  });
  // htmx leaves a boosted form's answer as it is: an error page (403, 422) is shown, not lost
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status >= 400 && e.detail.boosted) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  // after htmx has set up the regions' triggers (it does on DOMContentLoaded): a message that
  // arrived before would reach no region
  if (document.readyState === "complete") listen();
  else window.addEventListener("load", listen);
})();
