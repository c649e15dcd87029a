'use strict';
// Evaluates a JavaScript ecosystem file as PM2 does (require, or import for ES modules) and
// prints what it exports as JSON after a marker line, so that whatever the file itself prints
// comes before and is ignored. A failure prints {error, line}: the line of the file that node
// names in the error's stack, when it names one. Run as: node -e <this> <file>.
const path = require('path');
const { pathToFileURL } = require('url');

const MARKER = '\n--- corral ecosystem ---\n';
const file = path.resolve(process.argv[1]);
const url = pathToFileURL(file).href;

function report(result) {
  process.stdout.write(MARKER + JSON.stringify(result) + '\n', () => process.exit(0));
}

function lineIn(stack) {
  for (const name of [url, file]) {
    const at = stack.indexOf(name + ':');
    if (at >= 0) {
      const line = /^:(\d+)/.exec(stack.slice(at + name.length));
      if (line) return Number(line[1]);
    }
  }
  return null;
}

function failed(error) {
  const stack = String((error && error.stack) || error);
  const reason = error instanceof Error ? error.name + ': ' + error.message : 'threw ' + String(error);
  report({ error: reason.split('\n')[0], line: lineIn(stack) });
}

async function load() {
  if (file.endsWith('.mjs')) return (await import(url)).default;
  let exported;
  try {
    exported = require(file);
  } catch (error) {
    if (error && error.code === 'ERR_REQUIRE_ESM') return (await import(url)).default;
    throw error;
  }
  // Node 22 may require() an ES module: its namespace then holds the default export.
  return exported && exported[Symbol.toStringTag] === 'Module' ? exported.default : exported;
}

load().then((config) => {
  if (config === undefined || config === null || typeof config !== 'object' || Object.keys(config).length === 0) {
    const what = config === null ? 'null' : typeof config !== 'object' ? typeof config : 'nothing';
    report({ error: 'exports ' + what
      + ', not an ecosystem (module.exports = {apps: [...]} or export default {apps: [...]})', line: null });
  } else {
    report({ config });
  }
}, failed);
