// devtools_engine.mjs -- load gilscope exports into the Chrome DevTools
// performance panel's trace engine (npm: @paulirish/trace_engine) and
// report what it made of them, one JSON line per file:
//
//   {"file": ..., "slices": N, "slices_kept": K, "flows": F, "flows_built": B,
//    "console": [...]}
//
// slices: the X events in the file; slices_kept: those the engine put in
// its per-thread call trees (it leaves out a slice that ends after the
// slice it starts in).  flows: the flow starts in the file; flows_built:
// the flows the engine bound to slices at both ends.  console: whatever
// the engine printed with console.warn or console.error while parsing.
//
//   node devtools_engine.mjs NODE_MODULES EXPORT.json...
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, ...files] = process.argv.slice(2);
const enginePath = path.join(modules, '@paulirish', 'trace_engine', 'models', 'trace', 'trace.js');
const Trace = await import(pathToFileURL(enginePath).href);

// The engine uses DOMRect, which node lacks (the package's README says so).
globalThis.DOMRect ??= class DOMRect {
  constructor(x = 0, y = 0, width = 0, height = 0) {
    Object.assign(this, { x, y, width, height });
  }
};

const said = [];
for (const level of ['warn', 'error']) {
  console[level] = (...args) => said.push(`${level}: ${args.join(' ')}`);
}

for (const file of files) {
  said.length = 0;
  const events = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents;
  const slices = events.filter(e => e.ph === 'X');
  const flows = events.filter(e => e.ph === 's').length;
  const model = Trace.TraceModel.Model.createWithAllHandlers();
  await model.parse(events);
  const parsed = model.parsedTrace().data;
  // The engine keeps the event objects it was given: a slice is kept when
  // it is a node of its thread's tree.
  const kept = parsed.Renderer.entryToNode;
  const slicesKept = slices.filter(e => kept.has(e)).length;
  const line = {
    file: path.basename(file), slices: slices.length, slices_kept: slicesKept,
    flows, flows_built: parsed.Flows.flows.length, console: said.slice(0, 5),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}
