// Behaviour of the portal's pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
