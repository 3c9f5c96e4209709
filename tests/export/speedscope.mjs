// speedscope.mjs -- open gilscope exports in speedscope (npm: speedscope),
// running in headless chromium, and report what happened, one JSON line
// per file:
//
//   {"file": ..., "loaded": true, "title": ..., "error_ui": false,
//    "console": [...]}
//
// loaded: speedscope named the page after the profile (it does so once the
// import succeeded); error_ui: it showed its "Something went wrong" page;
// console: every warning, error and uncaught exception of the page --
// speedscope's importer warns for each slice that does not nest ("Tried to
// end frame ...").
//
// speedscope loads a file from a #profileURL=... over HTTP only, so a small
// server here serves its built index.html and the exports.  chromium is
// driven through the DevTools protocol.
//
//   node speedscope.mjs NODE_MODULES EXPORT.json...
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const [modules, ...args] = process.argv.slice(2);
const files = args.map(f => path.resolve(f));
const release = path.join(modules, 'speedscope', 'dist', 'release');
const LOAD_TIMEOUT_MS = 60000;

function serve() {
  const byName = new Map(files.map(f => [path.basename(f), f]));
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    const file = name.startsWith('exports/') ? byName.get(name.slice(8))
                                             : path.join(release, path.normalize(name));
    // Only the exports given and speedscope's own files.
    const known = file && (byName.has(path.basename(file)) || file.startsWith(release + path.sep));
    if (!known || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
                    '.json': 'application/json', '.wasm': 'application/wasm' };
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Start chromium, driven through the DevTools protocol on a pipe (its fds
// 3 and 4, messages ended by NUL bytes): no WebSocket, which node 18 lacks.
// Returns { browser, send(method, params, session) -> result }; every
// event goes to onEvent.
function startChromium(profileDir, onEvent) {
  const browser = spawn('chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--enable-unsafe-swiftshader',   // software WebGL, without a deprecation warning
    '--remote-debugging-pipe', `--user-data-dir=${profileDir}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const [toBrowser, fromBrowser] = [browser.stdio[3], browser.stdio[4]];
  let next = 1, pending = '';
  const waiting = new Map();
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', chunk => {
    const parts = (pending + chunk).split('\0');
    pending = parts.pop();
    for (const part of parts) {
      const m = JSON.parse(part);
      if (m.id && waiting.has(m.id)) {
        waiting.get(m.id)(m.result ?? { error: m.error });
        waiting.delete(m.id);
      } else if (m.method) {
        onEvent(m);
      }
    }
  });
  const send = (method, params = {}, sessionId = undefined) => new Promise(resolve => {
    const id = next++;
    waiting.set(id, resolve);
    toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  });
  return { browser, send };
}

// What the page said that counts: its console warnings and errors, its
// uncaught exceptions, its alerts (speedscope's "Unrecognized format!"),
// and the browser's own warnings about it (a failed load) -- but not the
// notes of chromium's software GPU (source "rendering"), which come from
// this headless machine, not from the page.
function describe(m) {
  const p = m.params;
  if (m.method === 'Runtime.consoleAPICalled' && ['warning', 'error', 'assert'].includes(p.type))
    return `${p.type}: ${p.args.map(a => a.value ?? a.description).join(' ')}`;
  if (m.method === 'Runtime.exceptionThrown')
    return `exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`;
  if (m.method === 'Log.entryAdded' && ['warning', 'error'].includes(p.entry.level) &&
      p.entry.source !== 'rendering')
    return `${p.entry.level} (${p.entry.source}): ${p.entry.text}`;
  if (m.method === 'Page.javascriptDialogOpening')
    return `alert: ${p.message}`;
  return null;
}

async function evaluate(cdp, expression) {
  const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
  return r.result?.value;
}

async function open(cdp, base, file, said) {
  const name = path.basename(file);
  said.length = 0;
  await cdp.send('Page.navigate', {
    // The query makes it a new page: a new hash alone would not reload.
    url: `${base}/index.html?${encodeURIComponent(name)}#profileURL=${encodeURIComponent(`${base}/exports/${name}`)}&title=${encodeURIComponent(name)}`,
  });
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  let title = '', errorUi = false;
  while (Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 200));
    title = (await evaluate(cdp, 'document.title')) ?? '';
    errorUi = !!(await evaluate(cdp, 'document.body && document.body.innerText.includes("Something went wrong")'));
    if (errorUi || title.startsWith(name))
      break;
  }
  // The title is set before the last steps of the import: give them time.
  await new Promise(r => setTimeout(r, 500));
  errorUi ||= !!(await evaluate(cdp, 'document.body.innerText.includes("Something went wrong")'));
  return { file: name, loaded: title.startsWith(name) && !errorUi, title, error_ui: errorUi,
           console: said.slice(0, 20) };
}

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}`;
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gilscope-speedscope-'));
const said = [];
let session;
const { browser, send } = startChromium(profileDir, m => {
  const d = describe(m);
  if (d)
    said.push(d);
  // An alert would block the page, and with it every evaluation.
  if (m.method === 'Page.javascriptDialogOpening')
    send('Page.handleJavaScriptDialog', { accept: true }, session);
});
const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
({ sessionId: session } = await send('Target.attachToTarget', { targetId, flatten: true }));
const cdp = { send: (method, params) => send(method, params, session) };
await cdp.send('Runtime.enable');
await cdp.send('Log.enable');
await cdp.send('Page.enable');
try {
  for (const file of files)
    process.stdout.write(JSON.stringify(await open(cdp, base, file, said)) + '\n');
} finally {
  const exited = new Promise(resolve => browser.once('exit', resolve));
  browser.kill();
  await exited;   // before its profile directory is removed
  server.close();
  // Chromium's helper processes can outlive the browser by a moment and
  // still be writing into the profile: retry, and never fail the test
  // over the clean-up (CI once saw ENOTEMPTY here).
  try {
    fs.rmSync(profileDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  } catch (e) {
    process.stderr.write(`# could not remove ${profileDir}: ${e.message}\n`);
  }
}
