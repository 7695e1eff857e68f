// The query page: YASGUI (bundled, served from /static/vendor/) against this service's
// endpoint, with the named queries as examples. Without JavaScript the plain form works.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!window.Yasgui || !root) return;
  var endpoint = root.getAttribute("data-endpoint");
  var form = document.getElementById("query-form");
  var initial = document.getElementById("query").value;

  form.hidden = true;
  root.hidden = false;
  var yasgui = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // The service is the only endpoint: no catalogue of public endpoints, no remote lookups.
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: true,
    yasqe: { value: initial },
  });
  var first = yasgui.getTab();
  if (first) first.setQuery(initial);

  function addExample(example) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = example.title;
    if (example.description) button.title = example.description;
    button.addEventListener("click", function () {
      var tab = yasgui.addTab(true, {
        name: example.title.slice(0, 40),
        requestConfig: { endpoint: endpoint, method: "POST" },
      });
      tab.setQuery(example.query);
      tab.getYasqe().focus();
    });
    item.appendChild(button);
    document.getElementById("examples").appendChild(item);
  }

  var lang = (document.documentElement.lang || "fi").slice(0, 2);
  fetch("/query-examples?lang=" + lang, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (examples) {
      if (!examples.length) return;
      examples.forEach(addExample);
      document.querySelector(".examples").hidden = false;
    })
    .catch(function () { /* the examples are a convenience; the editor works without */ });
  window.osaamiskarttaYasgui = yasgui;
})();
