// The CLI's application builder (@angular/build:application, same options: application-schema.json
// links to its schema), plus one esbuild plugin: the landing's scripts, the entry point and what it
// imports statically, start with V8's explicit compile hint `//# allFunctionsCalledOnLoad`. Chrome
// (136+) then compiles their functions while the files stream in, on a background thread, instead
// of on the page's main thread the first time each is called, which made the start-up's tasks long
// (docs/storefront.md, "Performance"; decision 0044). Other browsers read a comment.
'use strict';
const path = require('node:path');
const { createBuilder } = require('@angular-devkit/architect');
const { buildApplication } = require('@angular/build');

const HINT = '//# allFunctionsCalledOnLoad\n';

/** The output files (relative to the build's working folder) loaded with the page: the entry
 *  points and, transitively, their static imports (not the lazy chunks). */
function initialScripts(metafile, entryPoints) {
  const found = Object.entries(metafile.outputs)
    .filter(([, output]) => output.entryPoint && entryPoints.has(output.entryPoint))
    .map(([file]) => file);
  for (let i = 0; i < found.length; i++) {
    for (const { path: imported, kind } of metafile.outputs[found[i]].imports) {
      if (kind === 'import-statement' && !found.includes(imported)) found.push(imported);
    }
  }
  return new Set(found.filter((file) => file.endsWith('.js')));
}

const compileHints = {
  name: 'compile-hints',
  setup(build) {
    const { entryPoints, absWorkingDir = process.cwd() } = build.initialOptions;
    const entries = new Set(Object.values(entryPoints ?? {})
      .map((entry) => path.relative(absWorkingDir, typeof entry === 'string' ? entry : entry.in).split(path.sep).join('/')));
    build.onEnd((result) => {
      if (!result.metafile || !result.outputFiles) return;
      const initial = initialScripts(result.metafile, entries);
      result.outputFiles = result.outputFiles.map((file) => {
        const relative = path.relative(absWorkingDir, file.path).split(path.sep).join('/');
        if (initial.has(relative)) return withContents(file, Buffer.concat([Buffer.from(HINT), file.contents]));
        if (initial.has(relative.replace(/\.map$/, ''))) {  // its source map: one more line at the top
          const map = JSON.parse(file.text);
          map.mappings = `;${map.mappings}`;
          return withContents(file, Buffer.from(JSON.stringify(map)));
        }
        return file;
      });
    });
  },
};

function withContents(file, contents) {
  return { path: file.path, hash: file.hash, contents, get text() { return contents.toString('utf8'); } };
}

module.exports = createBuilder((options, context) => buildApplication(options, context, { codePlugins: [compileHints] }));
