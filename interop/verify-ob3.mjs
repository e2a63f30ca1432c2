#!/usr/bin/env node
/*
 * Verify an Open Badges 3.0 credential with an independent verifier, offline except for loopback URLs.
 *
 *   node interop/verify-ob3.mjs <dbvc|dcc|jose> [FILE|-]      one credential (JSON-LD object or compact JWT)
 *   node interop/verify-ob3.mjs <dbvc|dcc|jose> --baked [FILE|-]   the credential baked into a PNG or SVG
 *   node interop/verify-ob3.mjs --batch [FILE|-]              a JSON array of {"id", "verifier", "credential"},
 *                                                             or "baked" (base64 image) / "baked_file" (path)
 *
 * Prints one JSON line per credential:
 *   {"id"?, "verifier", "format": "ldp"|"jwt", "verified": bool, "revoked": bool|null, "status": {...},
 *    "checks": [...], "errors": [...], "fetched": [...]}
 * A baked input adds "extracted_from": "png"|"svg" (null when nothing could be extracted) and "extracted_id" (the
 * credential's id); the extraction is lib/unbake.mjs, independent of the service's unbaker. An image it refuses
 * gives verified: false with an "unbake: …" error and no verifier run.
 * `verified` is the verifier's own verdict; `revoked` is what its status check read (null: not checked).
 * Exits 0 whatever the verdict; non-zero only when the script itself fails (bad arguments, crash).
 *
 * Verifiers:
 *   dbvc  Digital Bazaar @digitalbazaar/vc verifyCredential + DataIntegrityProof(eddsa-rdfc-2022), did:web via
 *         @digitalbazaar/did-method-web, status via @digitalbazaar/vc-bitstring-status-list (list proof verified,
 *         list issuer must equal credential issuer). JSON-LD only: it has no VC-JWT support.
 *   dcc   DCC @digitalcredentials/verifier-core verifyCredential (its own document loader; fetch is intercepted).
 *         JSON-LD only: it has no VC-JWT support.
 *   jose  VC-JWT only: `jose` signature check with the single JWK the `kid` URL serves, header and alg allowlist
 *         (RS256, ES256), OB 3.0 §8.2 claim checks, then the BitstringStatusList read by this script (list proof
 *         verified with the Digital Bazaar stack, issuer/purpose match, GZIP + MSB-first bit read).
 */
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';

import {unbake} from './lib/unbake.mjs';

// stdout carries only result lines: libraries that console.log go to stderr
for(const name of ['log', 'info', 'warn', 'debug']) {
  console[name] = (...args) => process.stderr.write(args.map(a => (typeof a === 'string' ? a : safeString(a)))
    .join(' ') + '\n');
}

const {installOfflineFetch, fetchLog} = await import('./lib/offline-fetch.mjs');
installOfflineFetch();
const {allContexts} = await import('./lib/contexts.mjs');

const VERIFIERS = {dbvc: verifyDbvc, dcc: verifyDcc, jose: verifyJose};
const JWT_ALGS = ['RS256', 'ES256'];
const JWT_HEADERS = new Set(['alg', 'kid', 'typ', 'jwk']);
const MIN_LIST_BITS = 131072;

function safeString(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function errorMessages(error, depth = 0) {
  if(!error || depth > 4) {
    return [];
  }
  const out = [];
  const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
  if(error.message) {
    out.push(`${name}${error.message}`);
  }
  for(const inner of error.errors || []) {
    out.push(...errorMessages(inner, depth + 1));
  }
  if(error.cause) {
    out.push(...errorMessages(error.cause, depth + 1));
  }
  return [...new Set(out)];
}

function parseInput(credential) {
  if(typeof credential === 'string') {
    const text = credential.trim();
    if(text.startsWith('{')) {
      return {format: 'ldp', credential: JSON.parse(text)};
    }
    return {format: 'jwt', credential: text};
  }
  return {format: 'ldp', credential};
}

// ---------------------------------------------------------------------------------------------------------------
// Digital Bazaar
let dbStack;
async function digitalBazaar() {
  if(dbStack) {
    return dbStack;
  }
  const vc = await import('@digitalbazaar/vc');
  const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
  const {cryptosuite} = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
  const {checkStatus} = await import('@digitalbazaar/vc-bitstring-status-list');
  const {securityLoader} = await import('@digitalbazaar/security-document-loader');
  const didWeb = await import('@digitalbazaar/did-method-web');

  const jld = securityLoader();
  for(const [url, document] of allContexts()) {
    if(!jld.documents.has(url)) {
      jld.addStatic(url, document);
    }
  }
  // non-context http(s) documents (status list credentials): loopback only, through the offline fetch
  const httpHandler = {
    async get({url}) {
      const response = await fetch(url, {headers: {accept: 'application/vc+ld+json, application/ld+json'}});
      if(!response.ok) {
        throw new Error(`NotFoundError: HTTP ${response.status} for ${url}`);
      }
      return response.json();
    }
  };
  jld.setProtocolHandler({protocol: 'http', handler: httpHandler});
  jld.setProtocolHandler({protocol: 'https', handler: httpHandler});
  const didWebDriver = didWeb.driver();
  jld.setProtocolHandler({
    protocol: 'did',
    handler: {
      async get({url}) {
        if(url.startsWith('did:web:')) {
          return didWebDriver.get({url});
        }
        throw new Error(`DID method not configured in this test: ${url}`);
      }
    }
  });
  const documentLoader = jld.build();
  const suite = new DataIntegrityProof({cryptosuite});
  dbStack = {vc, suite, documentLoader, checkStatus};
  return dbStack;
}

async function verifyDbvc({format, credential}) {
  const {vc, suite, documentLoader, checkStatus} = await digitalBazaar();
  if(format !== 'ldp') {
    // no VC-JWT support: show what the library itself says when handed the compact JWS
    const attempt = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    return {verified: false, supported: false, revoked: null, status: {checked: false}, checks: [],
      errors: ['unsupported: @digitalbazaar/vc 7.3.0 verifies Data Integrity JSON-LD only, not VC-JWT',
        ...(attempt.verified ? ['(unexpectedly reported verified)'] : errorMessages(attempt.error))]};
  }
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const errors = result.verified ? [] : errorMessages(result.error);
  for(const r of result.results || []) {
    if(!r.verified) {
      errors.push(...errorMessages(r.error));
    }
  }
  const statusResult = result.statusResult;
  let revoked = null;
  const status = {checked: Boolean(statusResult)};
  if(statusResult) {
    status.verified = Boolean(statusResult.verified);
    if(statusResult.verified) {
      const [entry] = statusResult.results;
      status.statusPurpose = entry.credentialStatus.statusPurpose;
      status.bit = entry.status;
      revoked = entry.credentialStatus.statusPurpose === 'revocation' ? entry.status : null;
    } else {
      errors.push(...errorMessages(statusResult.error));
    }
  }
  return {
    verified: Boolean(result.verified), revoked, status,
    checks: ['vc-data-model', 'proof:DataIntegrityProof/eddsa-rdfc-2022', 'proofPurpose:assertionMethod',
      'controller==issuer', ...(statusResult ? ['status:BitstringStatusListEntry'] : [])],
    errors: [...new Set(errors)]
  };
}

// ---------------------------------------------------------------------------------------------------------------
// DCC verifier-core
let dccVerify;
async function verifyDcc({format, credential}) {
  if(!dccVerify) {
    ({verifyCredential: dccVerify} = await import('@digitalcredentials/verifier-core'));
  }
  if(format !== 'ldp') {
    // no VC-JWT support: show what the library itself says when handed the compact JWS
    const attempt = await dccVerify({credential, knownDIDRegistries: []});
    return {verified: false, supported: false, revoked: null, status: {checked: false}, checks: [],
      errors: ['unsupported: @digitalcredentials/verifier-core 1.0.0-beta.11 verifies JSON-LD credentials only, ' +
        'not VC-JWT', ...(attempt.errors || []).map(e => `${e.name}: ${e.message}`)]};
  }
  const result = await dccVerify({credential, knownDIDRegistries: []});
  const errors = (result.errors || []).map(e => `${e.name}: ${e.message}`);
  const log = result.log || [];
  const step = id => log.find(entry => entry.id === id);
  const signature = step('valid_signature');
  const expiration = step('expiration');
  const revocation = step('revocation_status');
  for(const entry of log) {
    if(entry.error) {
      errors.push(`${entry.id}: ${entry.error.name}: ${entry.error.message}`);
    }
  }
  const status = {checked: Boolean(revocation)};
  let revoked = null;
  if(revocation) {
    if(revocation.error) {
      status.error = revocation.error.name;
    } else {
      status.valid = revocation.valid;
      revoked = revocation.valid === false;
    }
  }
  const schema = (result.additionalInformation || []).find(entry => entry.id === 'schema_check');
  // DCC's verdict: no fatal error, a valid signature and not expired. `registered_issuer` (membership of a
  // trust registry) is not part of it: no registry is configured here.
  const verified = !result.errors && signature?.valid === true && expiration?.valid !== false &&
    !(revocation && revocation.error);
  return {
    verified, revoked, status,
    checks: log.map(entry => `${entry.id}:${entry.error ? 'error' : entry.valid}`),
    schema: schema ? summariseSchema(schema.results) : undefined,
    errors: [...new Set(errors)]
  };
}

function summariseSchema(results) {
  if(!Array.isArray(results)) {
    return results;
  }
  return results.map(r => ({schema: r.schema, valid: r.result?.valid,
    errors: (r.result?.errors || []).slice(0, 5).map(e => `${e.instancePath} ${e.message}`)}));
}

// ---------------------------------------------------------------------------------------------------------------
// jose (VC-JWT, OB 3.0 §8.2)
let joseLib;
function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function numericDate(dateTime) {
  if(!/(Z|[+-]\d{2}:\d{2})$/.test(dateTime)) {
    throw new Error(`dateTime without a time zone: ${dateTime}`);
  }
  const ms = Date.parse(dateTime);
  if(Number.isNaN(ms)) {
    throw new Error(`invalid dateTime: ${dateTime}`);
  }
  return Math.floor(ms / 1000);
}

async function verifyJose({format, credential: token}) {
  if(format !== 'jwt') {
    return {verified: false, revoked: null, status: {checked: false}, checks: [],
      errors: ['unsupported: the jose verifier checks VC-JWT (compact JWS) only']};
  }
  joseLib ||= await import('jose');
  const errors = [];
  const checks = [];
  const parts = token.split('.');
  if(parts.length !== 3) {
    return {verified: false, revoked: null, status: {checked: false}, checks, errors: ['not a compact JWS']};
  }
  let header;
  try {
    header = b64urlJson(parts[0]);
  } catch(error) {
    return {verified: false, revoked: null, status: {checked: false}, checks, errors: [`bad header: ${error}`]};
  }
  // header: alg allowlist, kid or jwk, typ JWT if present, nothing else (§8.2.2)
  if(!JWT_ALGS.includes(header.alg)) {
    errors.push(`alg ${header.alg} not in allowlist ${JWT_ALGS.join(',')}`);
  }
  const extra = Object.keys(header).filter(k => !JWT_HEADERS.has(k));
  if(extra.length) {
    errors.push(`unexpected JOSE header(s): ${extra.join(',')}`);
  }
  if(header.typ !== undefined && header.typ !== 'JWT') {
    errors.push(`typ must be "JWT", got ${header.typ}`);
  }
  checks.push('header');
  let key;
  try {
    let jwk;
    if(typeof header.kid === 'string' && /^https?:\/\//.test(header.kid)) {
      const response = await fetch(header.kid, {headers: {accept: 'application/jwk+json, application/json'}});
      if(!response.ok) {
        throw new Error(`kid ${header.kid}: HTTP ${response.status}`);
      }
      jwk = await response.json();
      if(Array.isArray(jwk.keys)) {
        throw new Error('kid dereferences to a JWK Set, not a single JWK');
      }
      checks.push('kid->single JWK');
    } else if(header.jwk) {
      jwk = header.jwk;
      checks.push('header jwk');
    } else {
      throw new Error('neither an http(s) kid nor a jwk header');
    }
    if('d' in jwk) {
      throw new Error('the JWK contains private key material');
    }
    key = await joseLib.importJWK(jwk, header.alg);
  } catch(error) {
    errors.push(`key: ${error.message}`);
  }
  let payload;
  if(key && !errors.length) {
    try {
      // signature + jose's own time checks (nbf/exp, default clock tolerance 0)
      ({payload} = await joseLib.jwtVerify(token, key, {algorithms: JWT_ALGS, clockTolerance: 60}));
      checks.push(`signature:${header.alg}`, 'nbf/exp-time');
    } catch(error) {
      errors.push(`jwt: ${error.code || error.name}: ${error.message}`);
    }
  }
  if(!payload) {
    return {verified: false, revoked: null, status: {checked: false}, checks, errors};
  }
  // OB 3.0 §8.2.4 claims
  try {
    if('vc' in payload) {
      errors.push('payload has a "vc" claim (VCDM 1.1 style): not an OB 3.0 VC-JWT');
    }
    const issuerId = typeof payload.issuer === 'object' ? payload.issuer?.id : payload.issuer;
    const expect = (name, got, want) => {
      if(got !== want) {
        errors.push(`${name} ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    };
    expect('iss', payload.iss, issuerId);
    expect('jti', payload.jti, payload.id);
    expect('sub', payload.sub, payload.credentialSubject?.id);
    expect('nbf', payload.nbf, numericDate(payload.validFrom));
    if(payload.validUntil !== undefined) {
      expect('exp', payload.exp, numericDate(payload.validUntil));
    } else if(payload.exp !== undefined) {
      errors.push('exp without validUntil');
    }
    checks.push('claims:iss,jti,sub,nbf,exp');
    const types = [].concat(payload.type || []);
    if(!types.includes('VerifiableCredential') ||
      !(types.includes('OpenBadgeCredential') || types.includes('AchievementCredential'))) {
      errors.push(`type ${JSON.stringify(payload.type)} lacks VerifiableCredential/OpenBadgeCredential`);
    }
  } catch(error) {
    errors.push(`claims: ${error.message}`);
  }
  const {revoked, status} = await readBitstringStatus(payload, errors);
  if(status.checked) {
    checks.push('status:BitstringStatusListEntry');
  }
  return {verified: errors.length === 0, revoked, status, checks, errors};
}

/* Read the revocation bit of a BitstringStatusListEntry ourselves (jose has no notion of status). */
async function readBitstringStatus(credential, errors) {
  const entries = [].concat(credential.credentialStatus || [])
    .filter(e => e.type === 'BitstringStatusListEntry' && e.statusPurpose === 'revocation');
  if(!entries.length) {
    return {revoked: null, status: {checked: false}};
  }
  const [entry] = entries;
  const status = {checked: true, statusListCredential: entry.statusListCredential};
  try {
    if(!/^\d+$/.test(String(entry.statusListIndex)) || typeof entry.statusListIndex !== 'string') {
      throw new Error(`statusListIndex must be a base-10 integer string: ${JSON.stringify(entry.statusListIndex)}`);
    }
    const index = Number.parseInt(entry.statusListIndex, 10);
    const response = await fetch(entry.statusListCredential, {headers: {accept: 'application/vc+ld+json'}});
    if(!response.ok) {
      throw new Error(`status list: HTTP ${response.status}`);
    }
    const list = await response.json();
    // the list's own proof, with the Digital Bazaar stack
    const {vc, suite, documentLoader} = await digitalBazaar();
    const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
    status.listProofVerified = Boolean(listResult.verified);
    if(!listResult.verified) {
      throw new Error(`status list proof: ${errorMessages(listResult.error).join('; ')}`);
    }
    const listIssuer = typeof list.issuer === 'object' ? list.issuer.id : list.issuer;
    const issuer = typeof credential.issuer === 'object' ? credential.issuer.id : credential.issuer;
    if(listIssuer !== issuer) {
      throw new Error(`status list issuer ${listIssuer} != credential issuer ${issuer}`);
    }
    if(![].concat(list.type).includes('BitstringStatusListCredential')) {
      throw new Error('status list type lacks BitstringStatusListCredential');
    }
    const subject = list.credentialSubject;
    if(subject?.type !== 'BitstringStatusList' || subject.statusPurpose !== entry.statusPurpose) {
      throw new Error('status list subject type/purpose mismatch');
    }
    const encoded = subject.encodedList;
    if(typeof encoded !== 'string' || !encoded.startsWith('u')) {
      throw new Error('encodedList must be multibase base64url ("u" prefix)');
    }
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    status.listBits = bits.length * 8;
    if(status.listBits < MIN_LIST_BITS) {
      throw new Error(`STATUS_LIST_LENGTH_ERROR: ${status.listBits} bits < ${MIN_LIST_BITS}`);
    }
    if(index >= status.listBits) {
      throw new Error(`RANGE_ERROR: index ${index} >= ${status.listBits}`);
    }
    const bit = (bits[index >> 3] >> (7 - (index & 7))) & 1; // index 0 = most significant bit of byte 0
    status.bit = bit === 1;
    return {revoked: bit === 1, status};
  } catch(error) {
    errors.push(`status: ${error.message}`);
    status.error = error.message;
    return {revoked: null, status};
  }
}

// ---------------------------------------------------------------------------------------------------------------
function refused(verifier, errors, extra = {}) {
  return {verifier, format: null, ...extra, verified: false, revoked: null, status: {checked: false}, checks: [],
    errors, fetched: []};
}

function credentialId({format, credential}) {
  try {
    return (format === 'ldp' ? credential : b64urlJson(credential.split('.')[1])).id ?? null;
  } catch {
    return null; // a malformed JWT: the verifier reports it
  }
}

async function runOne(verifier, input, {baked} = {}) {
  const verify = VERIFIERS[verifier];
  if(!verify) {
    return {verifier, verified: false, revoked: null, errors: [`unknown verifier ${verifier}`]};
  }
  let extracted = {};
  if(baked) {
    try {
      const {from, text} = unbake(baked);
      extracted = {extracted_from: from};
      input = text;
      extracted.extracted_id = credentialId(parseInput(input));
    } catch(error) {
      return refused(verifier, [`unbake: ${error.message}`],
        {extracted_from: extracted.extracted_from ?? null, extracted_id: null});
    }
  }
  const start = fetchLog.length;
  const parsed = parseInput(input);
  let result;
  try {
    result = await verify(parsed);
  } catch(error) {
    // a library throwing is a rejection by that library, reported as such (the script itself did not crash)
    result = {verified: false, revoked: null, status: {checked: false}, checks: [],
      errors: [`exception: ${errorMessages(error).join('; ') || String(error)}`]};
  }
  return {verifier, format: parsed.format, ...extracted, ...result,
    fetched: fetchLog.slice(start).map(f => `${f.url} (${f.answer})`)};
}

function readSource(arg, encoding = 'utf8') {
  return readFileSync(!arg || arg === '-' ? 0 : arg, encoding);
}

function decodeBase64(text) {
  const compact = String(text).replace(/\s+/g, '');
  if(compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new TypeError('"baked" must be the image in standard base64');
  }
  return Buffer.from(compact, 'base64');
}

function jobInput(job) {
  const sources = ['credential', 'baked', 'baked_file'].filter(key => job[key] !== undefined);
  if(sources.length !== 1) {
    throw new TypeError(`job ${JSON.stringify(job.id)}: exactly one of "credential", "baked", "baked_file"`);
  }
  if(job.baked !== undefined) {
    return [undefined, {baked: decodeBase64(job.baked)}];
  }
  if(job.baked_file !== undefined) {
    return [undefined, {baked: readFileSync(job.baked_file)}];
  }
  return [job.credential, {}];
}

async function main(argv) {
  const [first, second, third] = argv;
  if(first === '--batch') {
    const jobs = JSON.parse(readSource(second));
    if(!Array.isArray(jobs)) {
      throw new TypeError('--batch expects a JSON array of {"id", "verifier", "credential"|"baked"|"baked_file"}');
    }
    for(const job of jobs) {
      const [credential, options] = jobInput(job);
      const result = await runOne(job.verifier, credential, options);
      process.stdout.write(JSON.stringify({id: job.id, ...result}) + '\n');
    }
    return;
  }
  if(!first || !VERIFIERS[first]) {
    process.stderr.write('usage: verify-ob3.mjs <dbvc|dcc|jose> [FILE|-]\n' +
      '       verify-ob3.mjs <dbvc|dcc|jose> --baked [FILE|-]\n       verify-ob3.mjs --batch [FILE|-]\n');
    process.exit(2);
  }
  const result = second === '--baked' ? await runOne(first, undefined, {baked: readSource(third, null)}) :
    await runOne(first, readSource(second));
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main(process.argv.slice(2));
