// Progressive enhancement: apply a facet or the sort order as soon as it changes.
// Without JavaScript the form's Apply button does the same.
document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", (event) => {
        if (event.target.matches("input[type=checkbox], select")) {
            form.requestSubmit();
        }
    });
});
