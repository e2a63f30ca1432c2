/*
 * An offline `globalThis.fetch` for the verifiers.
 *
 * - https://localhost[:port] and https://127.0.0.1[:port] are rewritten to http:// (the test server speaks plain
 *   HTTP); so are the https URLs that did:web resolution produces for did:web:localhost%3APORT:….
 * - Loopback http(s) URLs go to the network (the live test server).
 * - Known JSON-LD contexts and OB 3.0 JSON Schemas are answered from local copies (DCC's verifier-core builds its
 *   own document loader with remote context fetching on; this is how it is kept offline).
 * - Anything else is refused with a network error, as it would be on a machine without Internet access.
 *
 * Every URL asked for is recorded in `fetchLog` (with how it was answered).
 */
import {readFileSync, existsSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {staticDocument, sourceOf} from './contexts.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEMAS_DIR = process.env.OB3_SCHEMAS_DIR ||
  resolve(HERE, '..', '..', 'tests', 'vectors', 'ob3-json-schemas-2024-04-03');
const SCHEMA_PREFIXES = [
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/',
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/'
];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export const fetchLog = [];
const realFetch = globalThis.fetch.bind(globalThis);

export function rewriteUrl(url) {
  const parsed = new URL(url);
  if(parsed.protocol === 'https:' && LOOPBACK.has(parsed.hostname)) {
    parsed.protocol = 'http:';
  }
  return parsed.toString();
}

export function isLoopback(url) {
  const parsed = new URL(url);
  return LOOPBACK.has(parsed.hostname) && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

function jsonResponse(document, contentType) {
  return new Response(JSON.stringify(document), {status: 200, headers: {'content-type': contentType}});
}

function localSchema(url) {
  for(const prefix of SCHEMA_PREFIXES) {
    if(url.startsWith(prefix)) {
      const name = url.slice(prefix.length).replace(/\.json$/, '.jsonld-variant.json');
      const path = join(SCHEMAS_DIR, name);
      if(existsSync(path)) {
        return JSON.parse(readFileSync(path, 'utf8'));
      }
    }
  }
  return undefined;
}

export async function offlineFetch(input, init) {
  const original = typeof input === 'string' ? input : (input instanceof URL ? input.href : input.url);
  const bare = original.split('#')[0];
  const context = staticDocument(bare);
  if(context) {
    fetchLog.push({url: original, answer: `static ${sourceOf(bare)}`});
    return jsonResponse(context, 'application/ld+json');
  }
  const schema = localSchema(bare);
  if(schema) {
    fetchLog.push({url: original, answer: 'static schema (tests/vectors copy)'});
    return jsonResponse(schema, 'application/schema+json');
  }
  if(isLoopback(original)) {
    const target = rewriteUrl(original);
    fetchLog.push({url: original, answer: target === original ? 'network' : `network ${target}`});
    if(typeof input === 'string' || input instanceof URL) {
      return realFetch(target, init);
    }
    // a Request object (ky passes one): rebuild it for the rewritten URL
    return realFetch(new Request(target, input), init);
  }
  fetchLog.push({url: original, answer: 'refused (offline)'});
  throw new TypeError(`fetch failed: offline test, refusing ${original}`);
}

export function installOfflineFetch() {
  globalThis.fetch = offlineFetch;
}
