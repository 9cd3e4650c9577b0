// esbuild plugin: tfjs-core's gradient registrations, bound to the user's own tfjs-core.
//
// tfjs-core's Node entry registers no gradient functions; they ship only as extension-less ESM files
// (`dist/register_all_gradients.js` and `dist/gradients/*.js`) that Node cannot load. Bundling that entry
// as it is copies the tfjs-core internals it imports (ops, engine, tensor: ~7 600 lines) into our build.
// This plugin rewrites every import of those files that tfjs-core's public API also exports (`mul`,
// `reshape`, `backend_util.getReductionAxes`, `engine()`, the kernel names, ...) into an import of
// `@tensorflow/tfjs-core` itself, which stays external. What remains bundled is the gradient functions
// and the few internal ops the public API lacks (the conv/pool backprop wrappers), ~2 000 lines; they run
// on the user's tfjs-core instance. Registration skips every kernel that already has a gradient (e.g.
// registered by `@tensorflow/tfjs`), so gradients are registered once, and it fails loudly if any
// gradient is still missing afterwards.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';

const TFJS = '@tensorflow/tfjs-core';
const DIST_FILE = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/].+\.js$/;
const IMPORT = /^import\s+([\s\S]*?)\s+from\s+'([^']+)';/gm;
// Namespaces of tfjs-core internals that its public API exports under another name.
const PUBLIC_NAMESPACES = {
  util: 'util', util_base: 'util', broadcast_util: 'backend_util', axis_util: 'backend_util', conv_util: 'backend_util', slice_util: 'slice_util',
};

export function tfjsGradientsPlugin() {
  const publicApi = createRequire(import.meta.url)(TFJS);
  const isPublic = (name) => name in publicApi;
  let counter = 0;

  function rewriteImport(statement, clause, specifier, file) {
    if (!specifier.startsWith('.')) return statement;
    const target = resolve(dirname(file), specifier);
    if (target.includes(`${sep}dist${sep}gradients${sep}`)) return statement; // the gradient functions themselves
    const namespace = /^\*\s+as\s+(\w+)$/.exec(clause);
    if (namespace !== null) {
      const base = target.split(sep).pop();
      const publicName = PUBLIC_NAMESPACES[base];
      if (publicName === undefined) return statement;
      return `import { ${publicName} as ${namespace[1]} } from '${TFJS}';`;
    }
    const named = /^\{([\s\S]*)\}$/.exec(clause);
    if (named === null) return statement; // default imports: none in these files; leave bundled
    const bindings = named[1].split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const [imported, local = imported] = s.split(/\s+as\s+/);
      return { imported, local };
    });
    // A name the public API lacks at top level may be a member of the public namespace of its module
    // (`util.assert`) or of `backend_util` (`backend_util.getReductionAxes`).
    const moduleNamespace = PUBLIC_NAMESPACES[target.split(sep).pop()];
    const direct = [], viaNamespace = new Map(), lines = [];
    for (const binding of bindings) {
      if (binding.imported === 'ENGINE') {
        const alias = `__tfjsEngine${counter++}`;
        lines.push(`import { engine as ${alias} } from '${TFJS}';`, `const ${binding.local} = ${alias}();`);
        continue;
      }
      if (binding.imported === 'getGlobalTensorClass') {
        const alias = `__tfjsTensor${counter++}`;
        lines.push(`import { Tensor as ${alias} } from '${TFJS}';`, `const ${binding.local} = () => ${alias};`);
        continue;
      }
      const namespace = isPublic(binding.imported)
        ? null
        : [moduleNamespace, 'backend_util'].find((ns) => ns !== undefined && binding.imported in publicApi[ns]);
      if (namespace === undefined) return statement; // an internal the public API lacks: bundle that module (its imports are rewritten too)
      if (namespace === null) direct.push(binding);
      else viaNamespace.set(namespace, [...(viaNamespace.get(namespace) ?? []), binding]);
    }
    const list = (bs, sepr) => bs.map(({ imported, local }) => (imported === local ? imported : `${imported}${sepr}${local}`)).join(', ');
    if (direct.length > 0) lines.push(`import { ${list(direct, ' as ')} } from '${TFJS}';`);
    for (const [namespace, bs] of viaNamespace) {
      const alias = `__tfjsNamespace${counter++}`;
      lines.push(`import { ${namespace} as ${alias} } from '${TFJS}';`, `const { ${list(bs, ': ')} } = ${alias};`);
    }
    return lines.join('\n');
  }

  return {
    name: 'tfjs-gradients-from-public-api',
    setup(build) {
      build.onLoad({ filter: DIST_FILE }, async ({ path: file }) => {
        let source = await readFile(file, 'utf8');
        source = source.replace(IMPORT, (statement, clause, specifier) => rewriteImport(statement, clause.trim(), specifier, file));
        if (file.endsWith(`${sep}dist${sep}register_all_gradients.js`)) {
          if (!source.includes(`import { registerGradient } from '${TFJS}';`)) {
            throw new Error('tfjs-gradients plugin: register_all_gradients.js no longer imports registerGradient as expected; revisit this plugin');
          }
          source = source.replace(
            `import { registerGradient } from '${TFJS}';`,
            `import { registerGradient as __registerGradient, getGradient as __getGradient } from '${TFJS}';\n` +
              'const __registered = [];\n' +
              'function registerGradient(config) {\n' +
              '  if (__getGradient(config.kernelName) == null) __registerGradient(config);\n' +
              '  __registered.push(config.kernelName);\n' +
              '}',
          );
          source +=
            '\nconst __missing = __registered.filter((kernelName) => __getGradient(kernelName) == null);\n' +
            'if (__missing.length > 0 || __registered.length === 0) {\n' +
            `  throw new Error('@trientropy/distributions: tfjs-core gradient functions are missing after registration (' + (__missing.join(', ') || 'none registered') + '); is more than one copy of @tensorflow/tfjs-core installed? Run npm ls @tensorflow/tfjs-core');\n` +
            '}\n';
        }
        return { contents: source, loader: 'js' };
      });
    },
  };
}
