// Preloaded (NODE_OPTIONS=--require) into the processes of an `nx run` by task-profile.mjs: in
// the process of a build's command (nx-image-graph-build, bin/build.js, which Nx starts for every
// inferred docker-build target) and in Nx's executor task processes (bin/run-executor.js,
// batch/run-batch.js: a target written by hand with the executor) it records, from process start
// to exit, what the task spends its time on: the modules it requires (inclusive time of the first
// require of each heavy package and of each plugin module required from outside the plugin), child
// processes, HTTP requests to the engine, file writes, and the call itself (the command's `main`,
// or the executor). The record goes to $NXIG_TRACE_DIR/<pid>.json at exit. Nothing here changes
// what the task does.
'use strict';
const script = process.argv[1] || '';
const isCommand = /(nx-image-graph-build|\/bin\/build\.js)$/.test(script);
if (process.env.NXIG_TRACE_DIR && (isCommand || /(run-executor|run-batch)\.js$/.test(script))) {
  const { performance } = require('node:perf_hooks');
  const fs = require('node:fs');
  const path = require('node:path');
  const Module = require('node:module');
  const t = () => performance.now(); // ms since the process started (performance.timeOrigin)
  const trace = {
    script: path.basename(script),
    pid: process.pid,
    preloadAt: t(),
    requires: [],
    children: [],
    http: [],
    writes: [],
    calls: [],
  };
  const HEAVY =
    /^(dockerode|docker-modem|@grpc\/grpc-js|protobufjs|zod|tar-fs|fast-glob|dockerfile-ast|ssh2|@balena\/dockerignore|object-hash|jsonc-parser)$/;
  const seen = new Set();
  let inPlugin = 0;
  const origLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    const parentFile = parent?.filename || '';
    const fromPlugin = parentFile.includes('/nx-image-graph/dist/');
    let resolved;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      return origLoad.apply(this, arguments);
    }
    const isPlugin = resolved.includes('/nx-image-graph/dist/');
    const record = !seen.has(resolved) && !Module._cache[resolved] && (HEAVY.test(request) || (isPlugin && !fromPlugin));
    if (!record) return origLoad.apply(this, arguments);
    seen.add(resolved);
    const start = t();
    if (isPlugin) inPlugin++;
    try {
      const exported = origLoad.apply(this, arguments);
      if (/(executors\/[^/]+\/(executor|batch)|cli\/build-cli)\.js$/.test(resolved) && exported) wrapExecutor(exported, resolved);
      return exported;
    } finally {
      if (isPlugin) inPlugin--;
      trace.requires.push({
        module: isPlugin ? resolved.replace(/.*\/nx-image-graph\/dist\//, 'nx-image-graph/') : request,
        from: fromPlugin ? parentFile.replace(/.*\/nx-image-graph\/dist\//, '') : isCommand ? 'bin' : 'nx',
        start,
        ms: t() - start,
      });
    }
  };
  function wrapExecutor(exported, file) {
    for (const key of Object.keys(exported)) {
      const fn = exported[key];
      if (typeof fn !== 'function') continue;
      exported[key] = async function (...args) {
        const start = t();
        try {
          return await fn.apply(this, args);
        } finally {
          trace.calls.push({ fn: `${path.basename(path.dirname(file))}/${key}`, start, ms: t() - start });
        }
      };
    }
  }
  const cp = require('node:child_process');
  for (const name of ['execFileSync', 'spawnSync', 'execSync']) {
    const orig = cp[name];
    cp[name] = function (cmd, args) {
      const start = t();
      try {
        return orig.apply(this, arguments);
      } finally {
        trace.children.push({ how: name, cmd: [cmd, ...(Array.isArray(args) ? args.slice(0, 3) : [])].join(' '), start, ms: t() - start });
      }
    };
  }
  for (const name of ['spawn', 'execFile']) {
    const orig = cp[name];
    cp[name] = function (cmd, args) {
      const start = t();
      const child = orig.apply(this, arguments);
      const entry = { how: name, cmd: [cmd, ...(Array.isArray(args) ? args.slice(0, 3) : [])].join(' '), start, ms: undefined };
      trace.children.push(entry);
      child.on('exit', () => (entry.ms = t() - start));
      return child;
    };
  }
  const http = require('node:http');
  const origRequest = http.request;
  http.request = function (opts) {
    const start = t();
    const req = origRequest.apply(this, arguments);
    const entry = {
      method: opts?.method || 'GET',
      path: String(opts?.path || '').split('?')[0],
      start,
      headersMs: undefined,
      ms: undefined,
    };
    trace.http.push(entry);
    req.on('response', (res) => {
      entry.headersMs = t() - start;
      res.on('end', () => (entry.ms = t() - start));
      res.on('close', () => (entry.ms ??= t() - start));
    });
    return req;
  };
  for (const name of ['writeFileSync', 'renameSync']) {
    const orig = fs[name];
    fs[name] = function (p) {
      const start = t();
      try {
        return orig.apply(this, arguments);
      } finally {
        trace.writes.push({ how: name, path: String(p).split('/').slice(-2).join('/'), start, ms: t() - start });
      }
    };
  }
  // Node refuses --cpu-prof in NODE_OPTIONS: the task process profiles itself through the inspector.
  let session;
  if (process.env.NXIG_TRACE_CPUPROF) {
    const inspector = require('node:inspector');
    session = new inspector.Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 200 });
    session.post('Profiler.start');
  }
  process.on('exit', () => {
    trace.exitAt = t();
    try {
      fs.mkdirSync(process.env.NXIG_TRACE_DIR, { recursive: true });
      // The in-process session answers synchronously.
      session?.post('Profiler.stop', (err, res) => {
        if (!err) fs.writeFileSync(path.join(process.env.NXIG_TRACE_DIR, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
      });
      fs.writeFileSync(path.join(process.env.NXIG_TRACE_DIR, `${process.pid}.json`), JSON.stringify(trace));
    } catch {
      // A lost trace only loses a measurement.
    }
  });
}
