// Pyodide tier (xlwings Lite's runtime): load our wheel and xlwings' pure wheel into Pyodide under Node,
// then dispatch Excel-shaped payloads the way xlwings Lite's wasm runtime does (a JS object -> to_py() ->
// xlwings.server.custom_functions_call(data, module)), and print one JSON document with the answers.
//
//   node run.mjs <our wheel> <xlwings wheel> <payloads.json>
//
// payloads.json: a list of request bodies as Excel's JavaScript sends them. Each answer is
// {"result": ...} or {"error": <exception type>, "message": ...} (Lite shows the message on a #VALUE! cell).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = dirname(fileURLToPath(import.meta.url));
const [ourWheel, xlwingsWheel, payloadFile] = process.argv.slice(2);

const pyodide = await loadPyodide({ indexURL: join(here, "node_modules", "pyodide") });
for (const wheel of [xlwingsWheel, ourWheel]) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
}
pyodide.runPython(`
import os
os.environ["XLWINGS_ON_SERVER"] = "true"        # what xlwings Lite sets before importing xlwings
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import json, sys
import xlwings.server
import megabackdoor.udfs as udfs

async def dispatch(data):
    try:
        result = await xlwings.server.custom_functions_call(data.to_py(), udfs)
        return json.dumps({"result": result}, default=str)
    except Exception as error:
        return json.dumps({"error": type(error).__name__, "message": str(error)})

info = json.dumps({"python": sys.version.split()[0], "host": udfs.HOST, "functions": udfs.__all__})
`);
const dispatch = pyodide.globals.get("dispatch");
const answers = [];
for (const body of JSON.parse(readFileSync(payloadFile, "utf8"))) {
  answers.push(JSON.parse(await dispatch(body)));
}
const info = JSON.parse(pyodide.globals.get("info"));
process.stdout.write(JSON.stringify({ info, answers }) + "\n");
