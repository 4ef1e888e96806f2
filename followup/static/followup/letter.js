// The letter's "Cetak" button prints the page (a file, not an onclick: the CSP forbids inline scripts).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
