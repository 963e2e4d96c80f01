// The imagesmith catalog site's one script: the theme switch, the list's search and filters (kept
// in the URL's fragment, so a filtered list can be shared, also from file://), and copy buttons.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "imagesmith-theme";
  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }
  var theme = stored();
  if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);

  function isDark() {
    var set = root.getAttribute("data-theme");
    if (set) return set === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme");
    if (button) {
      button.setAttribute("aria-pressed", String(isDark()));
      button.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        button.setAttribute("aria-pressed", String(next === "dark"));
        try {
          localStorage.setItem(KEY, next);
        } catch (e) {
          // No storage (a private window, file:// in some browsers): the switch lasts this page.
        }
      });
    }
    filters();
    copies();
  });

  function filters() {
    var table = document.getElementById("images");
    var search = document.getElementById("search");
    if (!table || !search) return;
    var controls = {
      q: search,
      group: document.getElementById("group"),
      type: document.getElementById("type"),
      status: document.getElementById("status"),
      scope: document.getElementById("scope"),
    };
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.getElementById("count");

    function read() {
      var params = new URLSearchParams(location.hash.slice(1));
      Object.keys(controls).forEach(function (key) {
        var control = controls[key];
        if (!control) return;
        var value = params.get(key) || "";
        if (control.tagName === "SELECT") {
          var known = Array.prototype.some.call(control.options, function (option) {
            return option.value === value;
          });
          control.value = known ? value : "";
        } else control.value = value;
      });
    }

    function matches(row, wanted) {
      var data = row.dataset;
      if (wanted.q) {
        var words = wanted.q.toLowerCase().split(/\s+/).filter(Boolean);
        for (var i = 0; i < words.length; i++)
          if (data.text.indexOf(words[i]) < 0 && data.groups.indexOf(words[i]) < 0) return false;
      }
      if (wanted.group && data.global !== "true" && data.groups.split(" ").indexOf(wanted.group) < 0)
        return false;
      if (wanted.type && data.type !== wanted.type) return false;
      if (wanted.status === "not-ready" && data.status === "ready") return false;
      if (wanted.status && wanted.status !== "not-ready" && data.status !== wanted.status)
        return false;
      if (wanted.scope && data.scope !== wanted.scope) return false;
      return true;
    }

    function apply(write) {
      var wanted = {};
      var params = new URLSearchParams();
      Object.keys(controls).forEach(function (key) {
        var control = controls[key];
        var value = control ? control.value.trim() : "";
        wanted[key] = value;
        if (value) params.set(key, value);
      });
      var shown = 0;
      rows.forEach(function (row) {
        var visible = matches(row, wanted);
        row.hidden = !visible;
        if (visible) shown++;
      });
      if (count) count.textContent = shown + " of " + rows.length + " images shown";
      if (write) {
        var hash = params.toString();
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      }
    }

    read();
    apply(false);
    Object.keys(controls).forEach(function (key) {
      var control = controls[key];
      if (control)
        control.addEventListener(control.tagName === "SELECT" ? "change" : "input", function () {
          apply(true);
        });
    });
    window.addEventListener("hashchange", function () {
      read();
      apply(false);
    });
  }

  function copies() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (!target) return;
        var value = target.textContent;
        function done(ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          setTimeout(function () {
            button.textContent = "Copy";
          }, 2000);
        }
        function fallback() {
          var range = document.createRange();
          range.selectNodeContents(target);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          var ok = false;
          try {
            ok = document.execCommand("copy");
          } catch (e) {
            ok = false;
          }
          done(ok);
        }
        if (navigator.clipboard && window.isSecureContext)
          navigator.clipboard.writeText(value).then(function () {
            done(true);
          }, fallback);
        else fallback();
      });
    });
  }
})();
