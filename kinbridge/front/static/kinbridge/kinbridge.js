// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]")) {
    target.form.requestSubmit();
  }
});

document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// On narrow screens the main navigation folds behind a Menu button.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("is-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// Escape closes open menus and returns focus to their toggle.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details[open].user-menu").forEach(function (menu) {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
  var nav = document.getElementById("main-nav");
  var button = document.querySelector(".nav-button");
  if (nav && button && nav.classList.contains("is-open")) {
    nav.classList.remove("is-open");
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
});
