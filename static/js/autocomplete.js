// Pickers: a select with data-autocomplete-url becomes a type-ahead fed by the portal's
// JSON endpoint; the plain search box beside it is only for browsers without JavaScript.
(function () {
  "use strict";
  function setUp(select) {
    var url = select.getAttribute("data-autocomplete-url");
    var box = select.closest(".autocomplete");
    var search = box && box.querySelector(".autocomplete-search");
    if (search) { search.remove(); }
    // The empty choice ("All organisations", "- Select an option -") becomes the placeholder.
    var empty = select.querySelector('option[value=""]');
    var control = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 250,
      preload: false,
      allowEmptyOption: false,
      placeholder: empty ? empty.textContent : "",
      closeAfterSelect: true,
      // Leave the field once a record is chosen, so that the next click (Save, Filter)
      // acts at once instead of only closing the picker.
      onItemAdd: function () { this.blur(); },
      load: function (query, callback) {
        if (!query) { callback(); return; }
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + (select.getAttribute("data-no-results") || "—") + "</div>";
        }
      }
    });
    // The type-ahead took the label; the select it fills stays for the form only.
    control.input.setAttribute("aria-hidden", "true");
  }
  // A multiple choice from a list the page holds (framework references): typed to filter,
  // chosen ones shown as tags; without JavaScript it stays a plain multiple select.
  function setUpChoices(select) {
    var control = new TomSelect(select, {
      maxOptions: null,
      hidePlaceholder: true,
      closeAfterSelect: false
    });
    control.input.setAttribute("aria-hidden", "true");
  }
  function init(root) {
    if (typeof TomSelect === "undefined") { return; }
    root.querySelectorAll("select[data-autocomplete-url]").forEach(function (select) {
      if (!select.tomselect) { setUp(select); }
    });
    root.querySelectorAll("select[multiple][data-choices]").forEach(function (select) {
      if (!select.tomselect) { setUpChoices(select); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
