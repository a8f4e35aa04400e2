// The Excel host, stubbed: everything else on the page is real (xlwings Server's task pane and JavaScript,
// Microsoft's custom-functions-runtime.js standing in for office.js). Loaded right after Microsoft's runtime.
//
// window.__excelProfile (set by the driver before any page script) describes the "Excel build":
//   {sets: {"CustomFunctionsRuntime": "1.4", "ExcelApi": "1.12", ...}, culture: "en-US", datePattern: "M/d/yyyy"}
// What this stub provides:
// * Office.onReady / Office.context, answered asynchronously (as office.js does; a synchronous callback stops
//   custom-functions-code.js before its CustomFunctions.associate calls);
// * Office.context.requirements.isSetSupported from the profile;
// * Excel.RequestContext / Excel.run with the workbook name, culture name and short date pattern;
// * window.__excel: invoke(calls) sends Excel's invocation messages to Microsoft's CustomFunctionProxy
//   (exposed as window.__cfProxy by the driver's in-memory hook) and resolves with the result arrays
//   Microsoft's code would send back to Excel ([id, ok, value, errorCode?]);
// * Excel.CustomFunctionManager, which xlwings' custom-functions-reload.js calls (recorded only).
(function () {
  "use strict";
  const profile = window.__excelProfile || { sets: {}, culture: "en-US", datePattern: "M/d/yyyy" };

  function newer(have, want) {
    const a = String(have).split(".").map(Number);
    const b = String(want || "1.1").split(".").map(Number);
    return a[0] > b[0] || (a[0] === b[0] && (a[1] || 0) >= (b[1] || 0));
  }
  const requirements = {
    isSetSupported(name, version) {
      const have = profile.sets[name];
      return have !== undefined && newer(have, version);
    },
  };
  const context = {
    requirements,
    host: "Excel",
    platform: "PC",
    diagnostics: { version: "16.0.stub", platform: "PC", host: "Excel" },
    contentLanguage: profile.culture,
    displayLanguage: profile.culture,
  };
  if (window.OSF && OSF._OfficeAppFactory) {
    OSF._OfficeAppFactory.getContext = () => context;
  }
  Object.defineProperty(Office, "context", { get: () => context, configurable: true });
  const ready = { host: "Excel", platform: "PC" };
  Office.onReady = function (callback) {
    return new Promise((resolve) => {
      setTimeout(() => {
        if (callback) {
          callback(ready);
        }
        resolve(ready);
      }, 0);
    });
  };

  class RequestContext {
    constructor() {
      const culture = {
        name: profile.culture,
        datetimeFormat: { shortDatePattern: profile.datePattern, load() {} },
        load() {},
      };
      this.workbook = { name: "Plan.xlsx", load() {} };
      this.application = { cultureInfo: culture, load() {} };
    }
    async sync() {}
  }
  // xlwings' custom-functions-reload.js re-registers the functions (Wasm mode and dev): recorded, not run.
  const registrations = [];
  window.Excel = Object.assign(window.Excel || {}, {
    RequestContext,
    run: async (batch) => batch(new RequestContext()),
    CustomFunctionManager: {
      register: async (meta, code) => registrations.push({ meta: typeof meta, code: typeof code }),
      newObject: () => ({ register: (meta, code) => registrations.push({ meta: typeof meta, code: typeof code }) }),
    },
  });

  let nextId = 1;
  const waiting = new Map();
  function hook() {
    const proxy = window.__cfProxy;
    if (!proxy || proxy.__stubbed) {
      return proxy;
    }
    proxy.__stubbed = true;
    // Results Microsoft's proxy batches for Excel (after its own 50 ms delay) are captured here.
    proxy._executeSetResultsTask = function () {
      const buffer = this._resultEntryBuffer;
      this._resultEntryBuffer = {};
      this._isSetResultsTaskScheduled = false;
      this._setResultsTaskOverdueTime = 0;
      for (const key in buffer) {
        const wire = this._convertCustomFunctionInvocationResultToArray(buffer[key].result).slice(0, 4);
        const resolve = waiting.get(wire[0]);
        if (resolve) {
          waiting.delete(wire[0]);
          resolve(wire);
        }
      }
    };
    return proxy;
  }

  window.__excel = {
    registrations,
    ids() {
      const association = window.CustomFunctions && CustomFunctions._association;
      return association ? Object.keys(association.mappings || {}) : [];
    },
    ready() {
      return Boolean(hook());
    },
    // calls: [{name, params, flags}] -> one wire array per call, in order.
    invoke(calls) {
      const proxy = hook();
      const entries = [];
      const promises = [];
      for (const call of calls) {
        const id = nextId++;
        promises.push(new Promise((resolve) => {
          waiting.set(id, resolve);
          // A call that never settles fails its test instead of hanging the run.
          setTimeout(() => {
            if (waiting.delete(id)) {
              resolve([id, false, "no result from Microsoft's proxy within 180 s", -1]);
            }
          }, 180000);
        }));
        const message = [id, call.name, call.params, call.address || "Sheet1!B2", call.flags || 0];
        entries.push({ messageCategory: 1, messageType: 1000, message: JSON.stringify(message) });
      }
      proxy._handleMessage({ entries });
      return Promise.all(promises);
    },
  };
})();
