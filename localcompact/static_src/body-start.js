// Marks the page as having JavaScript, as GOV.UK Frontend expects. Loaded from a file,
// not inline, so that the content security policy can forbid inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
