// A <select data-autosubmit> sends its form when changed (a file, not an onchange: the CSP
// forbids inline scripts). Without JavaScript the form's <noscript> button does the same.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
