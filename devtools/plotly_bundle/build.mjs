// Builds the partial plotly.js bundle the dashboard serves to its charts (dashboard/app/plotly_bundle.py):
// plotly.js's core with only the trace types listed in traces.json, minified, plus plotly.js's licence.
// Run through `make plotly-bundle` (npm ci, then this); serving and testing the app never need node.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dashboard', 'app', 'static', 'plotly');
const require = createRequire(import.meta.url);
const plotlyDir = dirname(require.resolve('plotly.js/package.json'));
const { version } = JSON.parse(readFileSync(join(plotlyDir, 'package.json'), 'utf8'));
const { traces } = JSON.parse(readFileSync(join(here, 'traces.json'), 'utf8'));

// The same registration plotly.js's own partial bundles (lib/index-*.js) make, with our traces only.
const entry = [
    "var Plotly = require('plotly.js/lib/core');",
    `Plotly.register([${traces.map((name) => `require('plotly.js/lib/${name}')`).join(', ')}]);`,
    'module.exports = Plotly;',
].join('\n');

mkdirSync(out, { recursive: true });
const bundle = join(out, 'plotly-partial.min.js');
await build({
    stdin: { contents: entry, resolveDir: here, sourcefile: 'entry.js' },
    outfile: bundle,
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly', // window.Plotly, which dcc.Graph uses instead of loading its own copy
    target: 'es2016',
    // As plotly.js's esbuild-config.js: browser globals for the Node-style code of its dependencies.
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    // The only stylesheet plotly.js imports is maplibre-gl's, for map traces, which we do not draw.
    loader: { '.css': 'empty' },
    legalComments: 'none',
    banner: { js: `/* plotly.js v${version} (MIT license, see LICENSE.txt): partial bundle of ${traces.join(', ')} */` },
    logLevel: 'info',
});
// Brotli at its best (about 395 KB instead of the ~480 KB of compressing on the fly), made once here;
// the app sends it to browsers that take br.
const source = readFileSync(bundle);
const compressed = brotliCompressSync(source, {
    params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
    },
});
writeFileSync(`${bundle}.br`, compressed);
copyFileSync(join(plotlyDir, 'LICENSE'), join(out, 'LICENSE.txt'));
