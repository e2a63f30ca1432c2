#!/usr/bin/env node
/*
 * Part of bench/verify_peers.py: one independent verifier verifies the same credential COUNT times in this one
 * process, timed one by one (Node's start, the imports and WARMUP untimed verifications first are left out).
 *
 *   node bench/node/verify_peers.mjs <dcc|dbvc> COUNT FILE [WARMUP]
 *
 * The verifiers are set up as interop/verify-ob3.mjs sets them up: offline (JSON-LD contexts and OB 3.0 schemas
 * from npm packages and tests/vectors, through interop/lib/offline-fetch.mjs), loopback http(s) URLs fetched from
 * the live server, anything else refused; plus did:key resolved locally for Digital Bazaar.
 *   dcc   @digitalcredentials/verifier-core verifyCredential (its own document loader and status checker).
 *   dbvc  @digitalbazaar/vc verifyCredential + DataIntegrityProof(eddsa-rdfc-2022), did:web via
 *         @digitalbazaar/did-method-web, did:key via @digitalbazaar/did-method-key, status via
 *         @digitalbazaar/vc-bitstring-status-list.
 * Every verification must be accepted (and, with a status entry, read as not revoked): the first refusal ends the
 * script with its errors. Prints one JSON line: {"verifier", "count", "ms": [...], "fetches": documents fetched over
 * the network per timed verification, "fetched": {URL path: times per verification}}.
 */
import {register} from 'node:module';
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';

register('./interop-resolve.mjs', import.meta.url);

// stdout carries only the result line: libraries that console.log go to stderr
for(const name of ['log', 'info', 'warn', 'debug']) {
  console[name] = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
}

const [verifierName, countText, file, warmupText = '5'] = process.argv.slice(2);
const count = Number.parseInt(countText, 10);
const warmup = Number.parseInt(warmupText, 10);
if(!['dcc', 'dbvc'].includes(verifierName) || !(count > 0) || !file || !(warmup >= 0)) {
  process.stderr.write('usage: node bench/node/verify_peers.mjs <dcc|dbvc> COUNT FILE [WARMUP]\n');
  process.exit(2);
}

const {installOfflineFetch, fetchLog} = await import('../../interop/lib/offline-fetch.mjs');
installOfflineFetch();
const {allContexts} = await import('../../interop/lib/contexts.mjs');

function errorMessages(error, depth = 0) {
  if(!error || depth > 4) {
    return [];
  }
  const out = error.message ? [`${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`] : [];
  for(const inner of error.errors || []) {
    out.push(...errorMessages(inner, depth + 1));
  }
  if(error.cause) {
    out.push(...errorMessages(error.cause, depth + 1));
  }
  return [...new Set(out)];
}

async function digitalBazaar() {
  const vc = await import('@digitalbazaar/vc');
  const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
  const {cryptosuite} = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
  const {checkStatus} = await import('@digitalbazaar/vc-bitstring-status-list');
  const {securityLoader} = await import('@digitalbazaar/security-document-loader');
  const didWeb = await import('@digitalbazaar/did-method-web');
  const didKey = await import('@digitalbazaar/did-method-key');
  const {Ed25519VerificationKey2020} = await import('@digitalbazaar/ed25519-verification-key-2020');

  const loader = securityLoader();
  for(const [url, document] of allContexts()) {
    if(!loader.documents.has(url)) {
      loader.addStatic(url, document);
    }
  }
  const httpHandler = {
    async get({url}) {
      const response = await fetch(url, {headers: {accept: 'application/vc+ld+json, application/ld+json'}});
      if(!response.ok) {
        throw new Error(`NotFoundError: HTTP ${response.status} for ${url}`);
      }
      return response.json();
    }
  };
  loader.setProtocolHandler({protocol: 'http', handler: httpHandler});
  loader.setProtocolHandler({protocol: 'https', handler: httpHandler});
  const didWebDriver = didWeb.driver();
  const didKeyDriver = didKey.driver();
  didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519VerificationKey2020.from});
  loader.setProtocolHandler({protocol: 'did', handler: {
    async get({url}) {
      if(url.startsWith('did:web:')) {
        return didWebDriver.get({url});
      }
      if(url.startsWith('did:key:')) {
        return didKeyDriver.get({url});
      }
      throw new Error(`DID method not configured here: ${url}`);
    }
  }});
  const documentLoader = loader.build();
  const suite = new DataIntegrityProof({cryptosuite});
  return async credential => {
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    const errors = result.verified ? [] : [...errorMessages(result.error),
      ...(result.results || []).filter(r => !r.verified).flatMap(r => errorMessages(r.error))];
    if(credential.credentialStatus) {
      const status = result.statusResult;
      if(!status?.verified) {
        errors.push('status not read', ...errorMessages(status?.error));
      } else if(status.results.some(r => r.status !== false)) {
        errors.push('status bit set (revoked or suspended)');
      }
    }
    return errors;
  };
}

async function dcc() {
  const {verifyCredential} = await import('@digitalcredentials/verifier-core');
  return async credential => {
    const result = await verifyCredential({credential, knownDIDRegistries: []});
    const errors = (result.errors || []).map(e => `${e.name}: ${e.message}`);
    const log = result.log || [];
    for(const entry of log) {
      if(entry.error) {
        errors.push(`${entry.id}: ${entry.error.name}: ${entry.error.message}`);
      }
    }
    const step = id => log.find(entry => entry.id === id);
    if(step('valid_signature')?.valid !== true) {
      errors.push('signature not valid');
    }
    if(step('expiration')?.valid === false) {
      errors.push('expired');
    }
    if(credential.credentialStatus) {
      const statuses = log.filter(entry => /^[a-z]+_status$/.test(entry.id));
      if(!statuses.length || statuses.some(entry => entry.valid !== true)) {
        errors.push(`status not read as unset: ${JSON.stringify(statuses)}`);
      }
    }
    return errors;
  };
}

const credential = JSON.parse(readFileSync(file, 'utf8'));
const verify = verifierName === 'dcc' ? await dcc() : await digitalBazaar();
const ms = [];
let fetchedBefore = 0;
for(let i = 0; i < warmup + count; i++) {
  if(i === warmup) {
    fetchedBefore = fetchLog.filter(entry => entry.answer.startsWith('network')).length;
  }
  const start = performance.now();
  const errors = await verify(credential);
  const elapsed = performance.now() - start;
  if(errors.length) {
    process.stderr.write(`${verifierName}: verification ${i + 1} NOT accepted: ${JSON.stringify(errors)}\n`);
    process.exit(1);
  }
  if(i >= warmup) {
    ms.push(elapsed);
  }
}
// what was fetched over the network during the timed verifications: URL path -> times per verification
const byPath = {};
for(const {url} of fetchLog.filter(entry => entry.answer.startsWith('network')).slice(fetchedBefore)) {
  const path = new URL(url).pathname;
  byPath[path] = (byPath[path] || 0) + 1 / count;
}
const fetches = Object.values(byPath).reduce((sum, n) => sum + n, 0);
process.stdout.write(JSON.stringify({verifier: verifierName, count, ms, fetches, fetched: byPath}) + '\n');
