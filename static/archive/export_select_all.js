// The export form's "Select all" box, bound here rather than by an inline onchange
// attribute, which the Content-Security-Policy refuses. onSelectToggleChange is
// django-import-export's own (import_export/export_selectable_fields.js).
document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
});
