#!/usr/bin/env node
// Parses each template file given with Handlebars.js as Fleet compiles it (noEscape) and prints
// `path:line:col: message` for each it rejects, then one summary line. Exit 1 on a rejection.
'use strict';

const fs = require('fs');
const Handlebars = require('handlebars');

const handlebars = Handlebars.create();
// Keep the parser's position on its errors (its default parseError drops it).
handlebars.parse('');
handlebars.Parser.yy.parseError = function (message, hash) {
  const err = new Error(message);
  err.hash = hash;
  throw err;
};

let rejected = 0;
const files = process.argv.slice(2);
for (const file of files) {
  try {
    handlebars.precompile(fs.readFileSync(file, 'utf8'), { noEscape: true });
  } catch (err) {
    rejected += 1;
    let where = '';
    if (err.hash && err.hash.loc) {
      where = `${err.hash.loc.first_line}:${err.hash.loc.first_column + 1}`;
    } else if (err.hash && typeof err.hash.line === 'number') {
      where = `${err.hash.line + 1}:0`;
    } else if (typeof err.lineNumber === 'number') {
      where = `${err.lineNumber}:${(err.column || 0) + 1}`;
    }
    const lines = String(err.message).split('\n'); // "Parse error on line N:", excerpt, "Expecting …"
    const text = lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0];
    console.log(`${file}${where ? ':' + where : ''}: Handlebars.js: ${text}`);
  }
}
const version = require('handlebars/package.json').version;
console.log(`Handlebars.js ${version}: ${files.length - rejected} of ${files.length} template(s) parse`);
process.exitCode = rejected ? 1 : 0;
