// Marking attendance with the keyboard: on a row's radio buttons, P, A or E (or the
// Russian and Lithuanian initials) marks the row and moves to the next one. The arrow
// keys and Tab work as for any radio buttons; everything works without this script.
(function () {
  var BY_KEY = {
    p: "present", "п": "present", d: "present", "р": "present",
    a: "absent", "н": "absent", "о": "absent", n: "absent", "а": "absent",
    e: "excused", "у": "excused", "е": "excused"
  };
  var BY_CODE = { KeyP: "present", KeyA: "absent", KeyE: "excused" };

  function rowsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-mark-row]"));
  }

  function focusRow(row) {
    var target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (target) target.focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-mark-row] input[type=radio]")) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var status = BY_KEY[(event.key || "").toLowerCase()] || BY_CODE[event.code];
    if (!status) return;
    var row = input.closest("[data-mark-row]");
    var radio = row.querySelector('input[type=radio][value="' + status + '"]');
    if (!radio) return;
    event.preventDefault();
    if (!radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var form = row.closest("[data-marks-form]") || document;
    var rows = rowsOf(form);
    var next = rows[rows.indexOf(row) + 1];
    if (next) focusRow(next); else radio.focus();
  });
})();
