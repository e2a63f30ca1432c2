/*
 * Module resolution hooks for bench/node/*.mjs: a bare specifier that does not resolve from bench/node (there is no
 * node_modules here) is resolved from interop/, so the scripts use interop/node_modules (`bash interop/setup.sh`)
 * without a copy. Registered by the scripts themselves (module.register), NODE_PATH being ignored by ES modules.
 */
const INTEROP = new URL('../../interop/package.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch(error) {
    const bare = !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
    if(error?.code !== 'ERR_MODULE_NOT_FOUND' || !bare) {
      throw error;
    }
    return nextResolve(specifier, {...context, parentURL: INTEROP});
  }
}
