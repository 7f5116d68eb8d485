// Progressive enhancement only: every page works without this file.
// The server owns the clock: the countdown only displays the seconds left the
// server sent, and asks the server what happens next when it reaches zero.
"use strict";

(function () {
  let tick = null;
  let ask = null;
  let endsAt = null;

  function announce(text) {
    const region = document.getElementById("announcer");
    if (region) region.textContent = text;
  }

  function startTimer(root) {
    if (tick) clearInterval(tick);
    if (ask) clearTimeout(ask);
    tick = ask = endsAt = null;
    const timer = root.querySelector("[role=timer][data-seconds-left]");
    if (!timer) return;
    const display = timer.querySelector(".seconds");
    const unit = timer.querySelector(".unit");
    endsAt = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
    tick = setInterval(function () {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      display.textContent = left;
      if (unit) unit.textContent = left === 1 ? timer.dataset.labelLeftOne : timer.dataset.labelLeft;
      timer.classList.toggle("urgent", left <= 5);
      // Screen readers hear a few milestones, not every second.
      if (left === 30 || left === 10 || left === 5) announce(left + " " + timer.dataset.labelLeft);
      if (left === 0) {
        clearInterval(tick);
        tick = null;
        announce(timer.dataset.labelUp);
      }
    }, 250);
    // One question to the server, once the deadline and its grace have passed: an answer
    // sent in the grace period still counts, and nobody polls in the meantime.
    ask = setTimeout(function () {
      ask = null;
      const target = timer.dataset.refreshTarget || "#step";
      htmx.ajax("GET", timer.dataset.refreshUrl, { target: target, swap: "outerHTML" });
    }, Number(timer.dataset.closesInMs || 0));
  }

  // The live game's script restarts the countdown when a new question arrives.
  window.HistoryQuiz = { startTimer: startTimer, announce: announce };

  function focusStep(root) {
    const target = root.querySelector("[data-autofocus]");
    if (target) target.focus({ preventScroll: false });
  }

  // An answer says how much time its countdown showed as it left: a slow or busy server
  // must not cost the student. The server believes it only within its grace period.
  document.addEventListener("htmx:configRequest", function (event) {
    const form = event.detail.elt;
    if (endsAt !== null && form.matches && form.matches("form.answer-form")) {
      event.detail.parameters["left_ms"] = String(Math.max(0, Math.round(endsAt - Date.now())));
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    startTimer(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const step = document.getElementById("step");
    if (step && (event.target === step || event.target.contains(step) || step.contains(event.target))) {
      startTimer(step);
      focusStep(step);
    }
    const banner = document.getElementById("connection");
    if (banner) banner.hidden = true;
  });

  // The set editor marks what should have focus after a change (the moved button, a new
  // form); once focused the mark goes, so a later swap does not jump back to it. After
  // the settle, not the swap: htmx wires the new buttons up then, and a key pressed on
  // one before that would post the whole page.
  document.addEventListener("htmx:afterSettle", function () {
    const editor = document.getElementById("set-editor");
    if (!editor) return;
    const marked = editor.querySelectorAll("[data-autofocus]");
    if (marked.length) marked[marked.length - 1].focus();
    marked.forEach(function (element) { element.removeAttribute("data-autofocus"); });
  });

  // A 422 carries the form with its errors: swap it in like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Answers are idempotent on the server, so a lost request is simply re-sent.
  function retry(event) {
    const banner = document.getElementById("connection");
    const source = event.detail.elt;
    if (!banner || !source || !source.closest("#step")) return;
    banner.hidden = false;
    setTimeout(function () {
      if (document.body.contains(source)) htmx.trigger(source, source.tagName === "FORM" ? "submit" : "click");
      else htmx.ajax("GET", document.getElementById("step").dataset.attemptUrl, { target: "#step", swap: "outerHTML" });
    }, 2000);
  }
  document.addEventListener("htmx:sendError", retry);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500) retry(event);
  });

  // Keys 1-4 pick an option (not while typing in a field).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) && event.target.type !== "radio") return;
    const number = Number(event.key);
    if (!number || number > 9) return;
    const radios = document.querySelectorAll("#step .options input[type=radio]");
    const radio = radios[number - 1];
    if (!radio) return;
    radio.checked = true;
    radio.focus();
    event.preventDefault();
  });
})();
