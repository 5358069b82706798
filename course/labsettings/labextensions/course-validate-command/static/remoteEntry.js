// A JupyterLab 4 prebuilt extension written by hand (module-federation
// container interface, no bundler): one plugin that adds "Validate notebook"
// to the command palette. It runs nbgrader's own Validate, by pressing the
// current notebook's Validate toolbar button (version check, save,
// validation, dialog, exactly as a click does). Loaded only by the learner's
// lab (course/labsettings/learner/jupyter_server_config.json).
var _JUPYTERLAB;
(function () {
  "use strict";
  var scope = null;

  function shared(name) {
    // the application's own copy of a shared package, from the share scope
    var versions = (scope && scope[name]) || {};
    var keys = Object.keys(versions);
    if (!keys.length) {
      return Promise.reject(new Error("shared module " + name + " is not available"));
    }
    return Promise.resolve(versions[keys[0]].get()).then(function (factory) {
      return typeof factory === "function" ? factory() : factory;
    });
  }

  function plugin(apputils, notebook) {
    var COMMAND = "course:validate";
    return {
      id: "course-validate-command:plugin",
      description: "Validate the current notebook from the command palette.",
      autoStart: true,
      requires: [apputils.ICommandPalette, notebook.INotebookTracker],
      activate: function (app, palette, tracker) {
        function button() {
          var panel = tracker.currentWidget;
          return panel ? panel.node.querySelector("jp-button.validate-button, .validate-button jp-button, button.validate-button") : null;
        }
        app.commands.addCommand(COMMAND, {
          label: "Validate Notebook",
          caption: "nbgrader's Validate: the visible tests of every exercise, a summary first",
          isEnabled: function () { return button() !== null; },
          execute: function () {
            var b = button();
            if (b) { b.click(); }
          }
        });
        palette.addItem({ command: COMMAND, category: "Notebook Operations" });
      }
    };
  }

  _JUPYTERLAB = window._JUPYTERLAB = window._JUPYTERLAB || {};
  _JUPYTERLAB["course-validate-command"] = {
    init: function (shareScope) {
      scope = shareScope;
      return Promise.resolve();
    },
    get: function (module) {
      if (module !== "./extension" && module !== "./index") {
        return Promise.reject(new Error('Module "' + module + '" does not exist in container.'));
      }
      return Promise.all([shared("@jupyterlab/apputils"), shared("@jupyterlab/notebook")]).then(function (mods) {
        var exports = { __esModule: true, "default": [plugin(mods[0], mods[1])] };
        return function () { return exports; };
      });
    }
  };
})();
