// The live channel of a logged-in page (/ws/live/): the inbox badge in the header, and on the
// inbox page the newly served items, without a reload. Served by the app (CSP: script-src 'self').
(function () {
  "use strict";
  var badge = document.getElementById("inbox-unread");
  // data-ws: the page came from the ASGI server, which answers /ws/live/ beside it.
  if (!badge || !badge.hasAttribute("data-ws") || !window.WebSocket) return;
  var delay = 1000;

  function setUnread(n) {
    badge.textContent = String(n);
    badge.setAttribute("data-count", String(n));
    document.querySelectorAll("[data-unread-count]").forEach(function (el) {
      el.textContent = String(n);
    });
  }

  function addItem(item) {
    var list = document.getElementById("inbox-items");
    if (!list || list.querySelector('[data-item-id="' + item.id + '"]')) return;
    var empty = list.querySelector(".inbox-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "inbox-item fresh" + (item.read ? "" : " unread");
    li.setAttribute("data-item-id", String(item.id));
    var link = document.createElement("a");
    link.href = item.url;
    link.className = "inbox-title";
    link.textContent = item.title;
    li.appendChild(link);
    var meta = document.createElement("span");
    meta.className = "hint";
    meta.textContent = (item.case_number ? item.case_number + " · " : "") + item.created_at;
    li.appendChild(meta);
    if (item.document_url) {
      var doc = document.createElement("a");
      doc.href = item.document_url;
      doc.className = "inbox-doc";
      doc.textContent = list.getAttribute("data-download") || "↓";
      li.appendChild(doc);
    }
    list.insertBefore(li, list.firstChild);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/ws/live/");
    ws.onopen = function () { delay = 1000; badge.setAttribute("data-live", "1"); };
    ws.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type !== "inbox") return;
      if (typeof data.unread === "number") setUnread(data.unread);
      if (data.item) addItem(data.item);
    };
    ws.onclose = function (event) {
      badge.removeAttribute("data-live");
      if (event.code === 4401) return;  // logged out: nothing to listen to
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
