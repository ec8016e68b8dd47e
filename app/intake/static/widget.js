/* Support Desk "?" widget: <script src="…/widget.js" data-key="sd_pk_…" data-app-version="4.2"
   async></script>; data-api overrides the script's own origin as the API base. */
(function () {
  "use strict";
  var tag = document.currentScript || document.querySelector("script[data-key][src*='widget.js']");
  if (!tag || !tag.getAttribute("data-key") || window.supportDeskWidget) return;
  window.supportDeskWidget = true;
  var key = tag.getAttribute("data-key");
  var api = tag.getAttribute("data-api") || new URL(tag.src, location.href).origin;
  var base = api.replace(/\/+$/, "") + "/v1/intake/widget";
  var endpoint = base + "?key=" + encodeURIComponent(key);
  var uploads = base + "/attachments?key=" + encodeURIComponent(key);
  var chatApi = api.replace(/\/+$/, "");
  var appVersion = tag.getAttribute("data-app-version");
  var CSS = ":host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif}" +
    ".open,.panel{position:fixed;right:20px;z-index:2147483000;border:0}.open{bottom:20px;" +
    "width:48px;height:48px;border-radius:50%;font-size:22px;box-shadow:0 2px 8px #0005}" +
    ".open,.send{background:#2457d6;color:#fff;font-weight:700;cursor:pointer}" +
    ".panel{bottom:80px;width:320px;max-width:calc(100vw - 40px);padding:16px;display:grid;" +
    "gap:8px;background:#fff;color:#1f2933;border-radius:8px;box-shadow:0 4px 24px #0004}" +
    ".panel[hidden],.status:empty{display:none}h2{margin:0;font-size:16px}" +
    "label{display:grid;gap:2px;font-size:12px}input,select,textarea{width:100%;padding:6px;" +
    "border:1px solid #c3cad4;border-radius:4px}textarea{min-height:90px;resize:vertical}" +
    ".send{padding:8px;border:0;border-radius:4px}.send:disabled{opacity:.6}" +
    ".status{margin:0;padding:8px;border-radius:4px;background:#eef3ff}" +
    ".error{background:#fdecea;color:#8a1c12}.note{margin:0;font-size:12px;color:#52606d}" +
    ".chat,.leave{padding:8px;border:1px solid #2457d6;border-radius:4px;background:#fff;" +
    "color:#2457d6;cursor:pointer}.chat[hidden]{display:none}.log{max-height:260px;" +
    "overflow:auto;display:grid;gap:6px}.msg{margin:0;padding:6px 8px;border-radius:6px;" +
    "background:#eef3ff;white-space:pre-wrap}.you{background:#f1f3f5;justify-self:end}";
  var CATEGORIES = [["", "(optional)"], ["technical", "Technical problem"], ["bug_report", "Bug"],
    ["account", "Account"], ["billing", "Billing"], ["feature_request", "Feature request"],
    ["request", "Request"], ["general", "Question"]];

  function el(type, attributes, children) {
    var node = document.createElement(type);
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    node.append.apply(node, children || []);
    return node;
  }
  function label(text, control) {
    return el("label", {}, [text, control]);
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  var host = el("div", { id: "supportdesk-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  try { // a constructed sheet passes pages' style-src CSP; <style> is the fallback
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch (error) {
    root.append(el("style", {}, [CSS]));
  }
  var email = el("input", { name: "email", type: "email", required: "", autocomplete: "email" });
  var subject = el("input", { name: "subject", required: "", maxlength: "300" });
  var description = el("textarea", { name: "description", required: "", maxlength: "50000" });
  var category = el("select", { name: "category" }, CATEGORIES.map(function (option) {
    return el("option", { value: option[0] }, [option[1]]);
  }));
  var files = el("input", { name: "attachments", type: "file", multiple: "",
    accept: "image/*,video/*,audio/*,application/pdf,text/plain,.log,.csv,.json,.zip,.gz" });
  var send = el("button", { type: "submit", class: "send" }, ["Send"]);
  var status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  var note = el("p", { class: "note" });
  var chatButton = el("button", { type: "button", class: "chat", hidden: "" }, ["Chat with us"]);
  var panel = el("form", { class: "panel", hidden: "", "aria-label": "Contact support" }, [
    el("h2", {}, ["How can we help?"]), note, label("Your work email", email),
    label("What happened?", description), chatButton, label("Subject", subject),
    label("Category", category),
    label("Attach a screenshot or recording (optional)", files), send, status]);
  var open = el("button", { type: "button", class: "open", "aria-label": "Contact support",
    "aria-expanded": "false" }, ["?"]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  var line = el("textarea", { name: "message", required: "", maxlength: "50000",
    "aria-label": "Your message" });
  var leave = el("button", { type: "button", class: "leave" }, ["End chat"]);
  var chatPanel = el("form", { class: "panel", hidden: "", "aria-label": "Chat with support" }, [
    el("h2", {}, ["Chat with us"]), log, line,
    el("button", { type: "submit", class: "send" }, ["Send"]), leave]);
  root.append(panel, chatPanel, open);
  var chat = null; // the live chat: ticket id, token, its stream, the messages shown

  function current() { return chat ? chatPanel : panel; }
  function toggle(show) {
    current().hidden = !show;
    open.setAttribute("aria-expanded", String(show));
    if (show && chat) line.focus();
    if (show && !chat) { email.focus(); availability(); }
  }
  open.addEventListener("click", function () { toggle(current().hidden); });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { toggle(false); open.focus(); }
  });
  // "We're online" and the chat button while someone is there; else when we would reply.
  function availability() {
    fetch(base + "/availability?key=" + encodeURIComponent(key), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (shown) {
        if (!shown) return;
        var live = shown.chat;
        var due = shown.first_response.due_if_raised_now;
        chatButton.hidden = !live;
        note.textContent = live ? "We're online" : due ? "We'll reply by " + new Date(due)
          .toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" }) : "";
      }).catch(function () {});
  }
  function say(message, isError, number) {
    status.textContent = message;
    status.className = "status" + (isError ? " error" : "");
    if (number) status.append(" ", el("strong", { class: "number" }, [number]));
  }

  // One Idempotency-Key per submission, reused when the same content is sent again: a retry
  // after a lost answer returns the first ticket instead of raising a second. Files uploaded
  // already are not uploaded again, even when the text is corrected in between.
  var pending = null;
  var uploaded = {};
  function fileKey(file) {
    return [file.name, file.size, file.lastModified].join("/");
  }
  panel.addEventListener("submit", function (event) {
    event.preventDefault();
    // The server keeps the query string only for keys created with keep_url_query.
    var context = { url: (location.origin + location.pathname + location.search).slice(0, 2000) };
    if (appVersion) context.app_version = appVersion;
    var body = { email: email.value.trim(), subject: subject.value.trim(),
      description: description.value.trim(), context: context };
    if (category.value) body.category = category.value;
    var chosen = Array.prototype.slice.call(files.files);
    var signature = JSON.stringify([body, chosen.map(fileKey)]);
    if (!pending || pending.signature !== signature) {
      pending = { signature: signature, body: body, files: chosen, key: newKey() };
    }
    submit(pending);
  });

  // A problem's detail (a refusal, a rate limit, a file too large) becomes the error shown.
  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (response.status === 201) return data;
      throw { shown: data.detail || "Your request could not be sent (" + response.status + ")." };
    });
  }
  function post(url, headers, body, credential) {
    headers.Authorization = "Bearer " + (credential || key);
    return fetch(url, { method: "POST", credentials: "omit", headers: headers, body: body })
      .then(answer);
  }
  // Uploads the files not uploaded yet, one at a time; resolves to all their ids.
  function upload(chosen) {
    var ids = chosen.map(function (file) { return uploaded[fileKey(file)]; });
    var next = chosen[ids.indexOf(undefined)];
    if (!next) return Promise.resolve(ids);
    say("Uploading " + next.name + "…");
    var form = new FormData();
    form.append("file", next, next.name);
    return post(uploads, {}, form).then(function (file) {
      uploaded[fileKey(next)] = file.id;
      return upload(chosen);
    });
  }

  function submit(submission) {
    send.disabled = true;
    upload(submission.files).then(function (ids) {
      say("Sending…");
      var body = Object.assign({ attachment_ids: ids }, submission.body);
      return post(endpoint, { "Content-Type": "application/json",
        "Idempotency-Key": submission.key }, JSON.stringify(body));
    }).then(function (data) {
      pending = null;
      uploaded = {};
      panel.reset();
      say("Thank you, we have your request. Your ticket number is", false, data.number);
    }).catch(function (error) {
      say(error.shown || "We could not reach support; please send again.", true);
    }).then(function () {
      send.disabled = false;
    });
  }

  // --- live chat: public comments on a ticket of channel "chat", streamed back ---
  function show(author, text, id) {
    if (id && chat.shown[id]) return;
    if (id) chat.shown[id] = true;
    log.append(el("p", { class: "msg" + (author === "You" ? " you" : "") }, [text]));
    log.scrollTop = log.scrollHeight;
  }
  chatButton.addEventListener("click", function () {
    if (!email.reportValidity() || !description.reportValidity()) return;
    var text = description.value.trim();
    var body = { email: email.value.trim(), subject: ("Chat: " + text).slice(0, 80),
      description: text, mode: "chat" };
    say("Connecting…");
    post(endpoint, { "Content-Type": "application/json", "Idempotency-Key": newKey() },
      JSON.stringify(body)).then(function (receipt) { begin(receipt, text); })
      .catch(function (error) { say(error.shown || "We could not reach support.", true); });
  });
  function begin(receipt, text) {
    var query = "?conversation_token=" + encodeURIComponent(receipt.conversation_token);
    var ticket = chatApi + "/v1/tickets/" + receipt.id;
    chat = { token: receipt.conversation_token, shown: {}, comments: ticket + "/comments" + query,
      end: ticket + "/chat/end" + query };
    // From the ticket's start: a reply posted before the stream opened is shown too.
    chat.source = new EventSource(chatApi + "/v1/stream" + query + "&ticket_id=" + receipt.id +
      "&cursor=0");
    chat.source.addEventListener("ticket.comment_added", function (event) {
      var comment = JSON.parse(event.data).data.comment;
      var author = comment.author_type === "contact" ? "You" : "Support";
      if (chat) show(author, comment.body, comment.id);
    });
    say("");
    panel.hidden = true;
    chatPanel.hidden = false;
    show("You", text);
    line.focus();
  }
  chatPanel.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = line.value.trim();
    if (!text || !chat) return;
    post(chat.comments, { "Content-Type": "application/json" }, JSON.stringify({ body: text }),
      chat.token).then(function (comment) {
      line.value = "";
      show("You", comment.body, comment.id);
    }).catch(function (error) { show("Support", error.shown || "Not sent; please try again."); });
  });
  function end() {
    if (!chat) return;
    navigator.sendBeacon(chat.end);
    chat.source.close();
    chat = null;
    log.replaceChildren();
    chatPanel.hidden = true;
    panel.reset();
    panel.hidden = false;
    say("Chat ended: we will email you the transcript.");
  }
  leave.addEventListener("click", end);
  window.addEventListener("pagehide", end);

  if (document.body) document.body.append(host);
  else document.addEventListener("DOMContentLoaded", function () { document.body.append(host); });
})();
