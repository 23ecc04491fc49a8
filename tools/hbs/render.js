#!/usr/bin/env node
// Renders an Agent stream template with Handlebars.js as Kibana's Fleet does
// (x-pack/platform/plugins/shared/fleet/server/services/epm/agent/agent.ts):
// one Handlebars environment, noEscape, and Fleet's helpers, re-implemented here.
//
// stdin:  {"template": "...", "vars": {...}}            -> stdout: the rendered text
//         {"template": "...", "parse_only": true}       -> stdout: nothing (parse + compile only)
//         {"batch": [{template, vars, parse_only}, ...]} -> stdout: JSON list of
//                                                         {"text": "..."} or {"error": {...}}
// A failure prints {"error": {"message", "line", "column"}} (1-based; 0 = unknown) and exits 1.
'use strict';

const Handlebars = require('handlebars');

// {{log …}} writes to the console: keep stdout for the result.
for (const method of ['log', 'info', 'debug', 'warn', 'error']) {
  console[method] = (...args) => process.stderr.write(args.join(' ') + '\n');
}

const handlebars = Handlebars.create();

// Kibana 9 renders with @kbn/handlebars' compileAST, which pushes every output to a list and
// joins it. Handlebars.js's compiled code joins adjacent outputs with `+` instead, so `{{n}}{{n}}`
// for n = 1 prints 2. Each output is made a string first, as the join does.
const appendToBuffer = Handlebars.JavaScriptCompiler.prototype.appendToBuffer;
function JoiningCompiler() {}
JoiningCompiler.prototype = Object.create(Handlebars.JavaScriptCompiler.prototype);
JoiningCompiler.prototype.compiler = JoiningCompiler;
JoiningCompiler.prototype.appendToBuffer = function (source, location, explicit) {
  return appendToBuffer.call(this, ['String(', source, ')'], location, explicit);
};
handlebars.JavaScriptCompiler = JoiningCompiler;

// {{#contains item list}}: the block when a list or a string includes item; no {{else}}.
// Called inline it returns true (rendered "true") or ''.
handlebars.registerHelper('contains', function (item, check, options) {
  if ((Array.isArray(check) || typeof check === 'string') && check.includes(item)) {
    if (options && options.fn) {
      return options.fn(this);
    }
    return true;
  }
  return '';
});

// A YAML single-quoted string ('' for '); double-quoted with \n when multi-line.
// A falsy value renders nothing; a non-string throws as in Fleet (str.includes).
handlebars.registerHelper('escape_string', function (str) {
  if (!str) return undefined;
  if (str.includes('\n')) {
    return '"' + str.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
  }
  return "'" + str.replace(/'/g, "''") + "'";
});

// For a multi-line string inside double quotes: spaces after newlines dropped, ' doubled,
// newlines as \n.
handlebars.registerHelper('escape_multiline_string', function (str) {
  if (!str) return undefined;
  return str.replace(/\n /g, '\n').replace(/'/g, "''").replace(/\n/g, '\\n');
});

// A string is taken as JSON already; anything else is JSON.stringify'd.
handlebars.registerHelper('to_json', function (value) {
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
});

// encodeURIComponent, plus ! ' ( ) * as %XX.
handlebars.registerHelper('url_encode', function (input) {
  return encodeURIComponent(input).replace(
    /[!'()*]/g,
    (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase()
  );
});

// The jison parser's default parseError drops the location: keep it on the error. A parse
// error's hash.loc is the offending token; a lexical error has only the line, and the lexer's
// last token tells where the unrecognised text starts.
handlebars.parse('');
handlebars.Parser.yy.parseError = function (message, hash) {
  const err = new Error(message);
  err.hash = hash;
  if (!hash.loc) {
    const last = handlebars.Parser.lexer.yylloc;
    err.hash.column = last && last.last_line === hash.line + 1 ? last.last_column : 0;
  }
  throw err;
};

// Parse errors carry a jison hash (0-based column), compile errors are Handlebars.Exception
// (lineNumber, 0-based column).
function describe(err) {
  let line = 0;
  let column = 0;
  if (err && err.hash && err.hash.loc) {
    line = err.hash.loc.first_line;
    column = err.hash.loc.first_column + 1;
  } else if (err && err.hash && typeof err.hash.line === 'number') {
    line = err.hash.line + 1;
    column = err.hash.column + 1;
  } else if (err && typeof err.lineNumber === 'number') {
    line = err.lineNumber;
    column = (err.column || 0) + 1;
  }
  return { message: String((err && err.message) || err), line, column };
}

function run(job) {
  try {
    if (job.parse_only) {
      handlebars.precompile(job.template, { noEscape: true });
      return { text: null };
    }
    const template = handlebars.compile(job.template, { noEscape: true });
    return { text: template(job.vars || {}) };
  } catch (err) {
    return { error: describe(err) };
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  if (Array.isArray(request.batch)) {
    process.stdout.write(JSON.stringify(request.batch.map(run)));
    return;
  }
  const result = run(request);
  if (result.error) {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exitCode = 1;
  } else if (result.text !== null) {
    process.stdout.write(result.text);
  }
});
