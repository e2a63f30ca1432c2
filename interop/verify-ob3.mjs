#!/usr/bin/env node
/*
 * Verify an Open Badges 3.0 credential with an independent verifier, offline except for loopback URLs.
 *
 *   node interop/verify-ob3.mjs <dbvc|dcc|jose|jose-did> [FILE|-]   one credential (JSON-LD object or compact JWT)
 *   node interop/verify-ob3.mjs <dbvc|dcc|jose|jose-did> --baked [FILE|-]   the credential baked in a PNG or SVG
 *   node interop/verify-ob3.mjs --batch [FILE|-]              a JSON array of {"id", "verifier", "credential"},
 *                                                             or "baked" (base64 image) / "baked_file" (path)
 *
 * Prints one JSON line per credential:
 *   {"id"?, "verifier", "format": "ldp"|"jwt", "verified": bool, "revoked": bool|null, "suspended": bool|null,
 *    "status": {...}, "statuses": [...], "checks": [...], "errors": [...], "fetched": [...]}
 * A baked input adds "extracted_from": "png"|"svg" (null when nothing could be extracted) and "extracted_id" (the
 * credential's id); the extraction is lib/unbake.mjs, independent of the service's unbaker. An image it refuses
 * gives verified: false with an "unbake: …" error and no verifier run.
 * `verified` is the verifier's own verdict; `revoked` / `suspended` are what its status check read for the entry of
 * that purpose (null: no such entry read). `statuses` lists EVERY status entry the verifier reported on, in its own
 * order: {"statusPurpose", "bit": bool|null, "statusListCredential"?, "statusListIndex"?, "error"?}. `status` keeps
 * the first (revocation) entry's details, as before.
 * Exits 0 whatever the verdict; non-zero only when the script itself fails (bad arguments, crash).
 *
 * Verifiers:
 *   dbvc  Digital Bazaar @digitalbazaar/vc verifyCredential + DataIntegrityProof(eddsa-rdfc-2022), did:web via
 *         @digitalbazaar/did-method-web, status via @digitalbazaar/vc-bitstring-status-list (list proof verified,
 *         list issuer must equal credential issuer). JSON-LD only: it has no VC-JWT support.
 *   dcc   DCC @digitalcredentials/verifier-core verifyCredential (its own document loader; fetch is intercepted).
 *         JSON-LD only: it has no VC-JWT support.
 *   jose  VC-JWT only: `jose` signature check with the single JWK the `kid` URL serves, header and alg allowlist
 *         (RS256, ES256), OB 3.0 §8.2 claim checks, then every BitstringStatusListEntry read by this script (list
 *         proof verified with the Digital Bazaar stack, issuer/purpose match, GZIP + MSB-first bit read). As
 *         shipped it dereferences http(s) `kid`s only: a DID URL `kid` is refused ("neither an http(s) kid…").
 *   jose-did  the same, and a `did:web:…#frag` `kid` is resolved as a careful verifier would: the DID must equal
 *         `iss`; its did.json is fetched (through the offline fetch); the document id must be the DID; the method
 *         is found by id in `verificationMethod`, must be listed in `assertionMethod`, be controlled by the DID, be
 *         of type JsonWebKey2020/JsonWebKey and carry a public `publicKeyJwk`, which is imported with `jose`.
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

const VERIFIERS = {dbvc: verifyDbvc, dcc: verifyDcc, jose: input => verifyJose(input),
  'jose-did': input => verifyJose(input, {resolveDid: true})};
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

/* One status entry as reported: its purpose, the bit read (null: not read) and where it points. */
function statusOf(entry, extra = {}) {
  return {statusPurpose: entry?.statusPurpose ?? null, ...extra,
    statusListCredential: entry?.statusListCredential, statusListIndex: entry?.statusListIndex};
}

/* `revoked` / `suspended`: the bit of the entry of that purpose (null when no such entry was read). */
function purposeBits(statuses) {
  const bit = purpose => {
    const entry = statuses.find(s => s.statusPurpose === purpose);
    return entry && typeof entry.bit === 'boolean' ? entry.bit : null;
  };
  return {revoked: bit('revocation'), suspended: bit('suspension')};
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
  const status = {checked: Boolean(statusResult)};
  // every entry the library read (it reads each BitstringStatusListEntry, or none when one fails: Promise.all)
  const statuses = [];
  if(statusResult) {
    status.verified = Boolean(statusResult.verified);
    if(statusResult.verified) {
      const [entry] = statusResult.results;
      status.statusPurpose = entry.credentialStatus.statusPurpose;
      status.bit = entry.status;
      for(const r of statusResult.results) {
        statuses.push(statusOf(r.credentialStatus, {bit: r.status}));
      }
    } else {
      errors.push(...errorMessages(statusResult.error));
    }
  }
  return {
    verified: Boolean(result.verified), ...purposeBits(statuses), status, statuses,
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
  // every "<purpose>_status" step of its log: one per BitstringStatusListEntry it read (valid = bit not set); a
  // failed status check is logged as one "revocation_status" step with an error, whatever the entries' purposes
  const statuses = log.filter(entry => /^[a-z]+_status$/.test(entry.id)).map(entry => ({
    statusPurpose: entry.id.slice(0, -'_status'.length),
    bit: entry.error || typeof entry.valid !== 'boolean' ? null : !entry.valid,
    ...(entry.error ? {error: `${entry.error.name}: ${entry.error.message}`} : {})
  }));
  const suspension = step('suspension_status');
  const suspended = suspension && !suspension.error && typeof suspension.valid === 'boolean' ?
    !suspension.valid : null;
  const schema = (result.additionalInformation || []).find(entry => entry.id === 'schema_check');
  // DCC's verdict: no fatal error, a valid signature and not expired. `registered_issuer` (membership of a
  // trust registry) is not part of it: no registry is configured here.
  const verified = !result.errors && signature?.valid === true && expiration?.valid !== false &&
    !(revocation && revocation.error);
  return {
    verified, revoked, suspended, status, statuses,
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

/* did:web DID -> its did.json URL (did:web spec §3.2): host[%3Aport][:path…] */
function didWebUrl(did) {
  const segments = did.slice('did:web:'.length).split(':');
  if(!segments[0] || segments.some(s => !s)) {
    throw new Error(`malformed did:web ${did}`);
  }
  const host = decodeURIComponent(segments[0]);
  const path = segments.slice(1).map(decodeURIComponent);
  if(host.includes('/') || path.some(s => s.includes('/'))) {
    throw new Error(`malformed did:web ${did}`);
  }
  return `https://${host}/${path.length ? path.join('/') : '.well-known'}/did.json`;
}

/* The public JWK behind a did:web DID URL `kid`, resolved as a careful verifier does (see the header comment). */
async function jwkFromDidWeb(kid, iss, checks) {
  const hash = kid.indexOf('#');
  if(hash < 0 || hash === kid.length - 1) {
    throw new Error(`kid ${kid} is a DID without a fragment: it names no verification method`);
  }
  const did = kid.slice(0, hash);
  if(did !== iss) {
    throw new Error(`kid DID ${did} != iss ${JSON.stringify(iss)}`);
  }
  const url = didWebUrl(did);
  const response = await fetch(url, {headers: {accept: 'application/did+json, application/did+ld+json, ' +
    'application/json'}});
  if(!response.ok) {
    throw new Error(`did:web ${url}: HTTP ${response.status}`);
  }
  const document = await response.json();
  if(document.id !== did) {
    throw new Error(`did.json id ${JSON.stringify(document.id)} != ${did}`);
  }
  const absolute = id => (typeof id === 'string' && id.startsWith('#') ? did + id : id);
  const methods = [].concat(document.verificationMethod || []).filter(m => absolute(m?.id) === kid);
  if(methods.length !== 1) {
    throw new Error(`${methods.length} verificationMethod(s) with id ${kid} in ${url}`);
  }
  const [method] = methods;
  const assertion = [].concat(document.assertionMethod || [])
    .some(ref => absolute(typeof ref === 'string' ? ref : ref?.id) === kid);
  if(!assertion) {
    throw new Error(`${kid} is not listed in assertionMethod`);
  }
  if(method.controller !== did) {
    throw new Error(`${kid}: controller ${JSON.stringify(method.controller)} != ${did}`);
  }
  if(!['JsonWebKey2020', 'JsonWebKey'].includes(method.type)) {
    throw new Error(`${kid}: type ${JSON.stringify(method.type)} is not JsonWebKey2020/JsonWebKey`);
  }
  if(!method.publicKeyJwk || typeof method.publicKeyJwk !== 'object') {
    throw new Error(`${kid}: no publicKeyJwk`);
  }
  checks.push('kid->did:web assertionMethod publicKeyJwk');
  return method.publicKeyJwk;
}

async function verifyJose({format, credential: token}, {resolveDid = false} = {}) {
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
    } else if(resolveDid && typeof header.kid === 'string' && header.kid.startsWith('did:web:')) {
      let iss;
      try {
        iss = b64urlJson(parts[1]).iss; // unverified here: only compared with the kid's DID; checked again below
      } catch {
        throw new Error('payload is not JSON');
      }
      jwk = await jwkFromDidWeb(header.kid, iss, checks);
    } else if(header.jwk) {
      jwk = header.jwk;
      checks.push('header jwk');
    } else {
      throw new Error(`neither an http(s) kid nor a jwk header (kid ${JSON.stringify(header.kid ?? null)}` +
        `${typeof header.kid === 'string' && header.kid.startsWith('did:') ?
          ': a DID URL, which this verifier does not resolve' : ''})`);
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
  const {revoked, suspended, status, statuses} = await readBitstringStatuses(payload, errors);
  if(status.checked) {
    checks.push('status:BitstringStatusListEntry');
  }
  return {verified: errors.length === 0, revoked, suspended, status, statuses, checks, errors};
}

/* Read every BitstringStatusListEntry ourselves (jose has no notion of status): revocation, suspension or any
 * other purpose, each from its own list. `status` keeps the revocation entry's details (else the first entry's). */
async function readBitstringStatuses(credential, errors) {
  const entries = [].concat(credential.credentialStatus || []).filter(e => e?.type === 'BitstringStatusListEntry');
  if(!entries.length) {
    return {revoked: null, suspended: null, status: {checked: false}, statuses: []};
  }
  const details = [];
  for(const entry of entries) {
    details.push(await readBitstringEntry(credential, entry, errors));
  }
  const statuses = entries.map((entry, i) => statusOf(entry, {bit: details[i].bit ?? null,
    ...(details[i].error ? {error: details[i].error} : {})}));
  const main = details[Math.max(0, entries.findIndex(e => e.statusPurpose === 'revocation'))];
  return {...purposeBits(statuses), status: main, statuses};
}

async function readBitstringEntry(credential, entry, errors) {
  const status = {checked: true, statusPurpose: entry.statusPurpose, statusListCredential: entry.statusListCredential};
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
  } catch(error) {
    errors.push(`status (${entry.statusPurpose}): ${error.message}`);
    status.error = error.message;
  }
  return status;
}

// ---------------------------------------------------------------------------------------------------------------
function refused(verifier, errors, extra = {}) {
  return {verifier, format: null, ...extra, verified: false, revoked: null, suspended: null, status: {checked: false},
    statuses: [], checks: [], errors, fetched: []};
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
  return {verifier, format: parsed.format, ...extracted, suspended: null, statuses: [], ...result,
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
    process.stderr.write('usage: verify-ob3.mjs <dbvc|dcc|jose|jose-did> [FILE|-]\n' +
      '       verify-ob3.mjs <dbvc|dcc|jose|jose-did> --baked [FILE|-]\n       verify-ob3.mjs --batch [FILE|-]\n');
    process.exit(2);
  }
  const result = second === '--baked' ? await runOne(first, undefined, {baked: readSource(third, null)}) :
    await runOne(first, readSource(second));
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main(process.argv.slice(2));
