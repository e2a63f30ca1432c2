#!/usr/bin/env node
/*
 * Sign Open Badges 3.0 credentials with independent implementations (Digital Bazaar, jose), as a third-party
 * issuer would: each job gets a freshly generated Ed25519 key, and the issuer is that key's did:key.
 * Fully offline: JSON-LD contexts come from npm packages (lib/contexts.mjs); any fetch is refused.
 *
 *   node interop/sign-ob3.mjs [FILE|-]
 *
 * Input: one job or a JSON array of jobs
 *   {"id"?: string, "suite": SUITE, "credential": {...template...}, "created"?: dateTime}
 * SUITE:
 *   eddsa-rdfc-2022       DataIntegrityProof, @digitalbazaar/data-integrity + @digitalbazaar/eddsa-rdfc-2022-cryptosuite
 *   eddsa-2022            DataIntegrityProof, @digitalbazaar/eddsa-2022-cryptosuite 1.0.0 (the suite's former name)
 *   Ed25519Signature2020  @digitalbazaar/ed25519-signature-2020 (jsonld-signatures)
 *   vc-jwt                OB 3.0 §8.2 VC-JWT with `jose`: header {alg: EdDSA, kid: did:key…#z6Mk…},
 *                         payload = the credential + iss, jti, sub, nbf (+ exp from validUntil)
 * The template's issuer (a Profile object or a string) gets `id` = the did:key; `@context` defaults by suite
 * (VCDM 2.0 + OB 3.0.3 for Data Integrity and VC-JWT; VCDM 1.1 + OB 3.0.1 + ed25519-2020 for
 * Ed25519Signature2020) and the Ed25519Signature2020 context is appended when that suite needs it.
 *
 * Output: for each job (an object for one job, an array for an array)
 *   {"id", "suite", "did", "verificationMethod", "credential": object | compact JWT,
 *    "self_check": {"verified": bool, "errors": [...]}}
 * `self_check` is the signing library's own verifier run on the result (Digital Bazaar `vc.verifyCredential`
 * with did:key resolved by @digitalbazaar/did-method-key; `jose` `jwtVerify` for VC-JWT): a sanity check that the
 * signer produced what it means to, so a rejection elsewhere is not blamed on a broken fixture.
 */
import {readFileSync} from 'node:fs';

// stdout carries only the result: libraries that console.log go to stderr
for(const name of ['log', 'info', 'warn', 'debug']) {
  console[name] = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
}

// no network at all: every fetch is refused (contexts are served by the document loader below)
globalThis.fetch = async input => {
  const url = typeof input === 'string' ? input : (input instanceof URL ? input.href : input.url);
  throw new TypeError(`fetch failed: sign-ob3.mjs is offline, refusing ${url}`);
};

const {allContexts} = await import('./lib/contexts.mjs');
const vc = await import('@digitalbazaar/vc');
const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
const {cryptosuite: eddsaRdfc2022} = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const {cryptosuite: eddsa2022} = await import('@digitalbazaar/eddsa-2022-cryptosuite');
const {Ed25519Signature2020, suiteContext: ed25519Context} = await import('@digitalbazaar/ed25519-signature-2020');
const {Ed25519VerificationKey2020} = await import('@digitalbazaar/ed25519-verification-key-2020');
const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey');
const {securityLoader} = await import('@digitalbazaar/security-document-loader');
const didKey = await import('@digitalbazaar/did-method-key');
const jose = await import('jose');

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const OB_303 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const OB_301 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json';
const ED25519_2020 = ed25519Context.constants.CONTEXT_URL; // https://w3id.org/security/suites/ed25519-2020/v1
const DEFAULT_CONTEXTS = {
  'eddsa-rdfc-2022': [VC_V2, OB_303],
  'eddsa-2022': [VC_V2, OB_303],
  Ed25519Signature2020: [VC_V1, OB_301, ED25519_2020],
  'vc-jwt': [VC_V2, OB_303]
};
const JWT_CLAIMS = ['iss', 'jti', 'sub', 'nbf', 'exp'];

// did:key resolution for the self-check (Ed25519VerificationKey2020 methods: their context is bundled)
const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519VerificationKey2020.from});

const loader = securityLoader();
for(const [url, document] of allContexts()) {
  if(!loader.documents.has(url)) {
    loader.addStatic(url, document);
  }
}
loader.setProtocolHandler({protocol: 'did', handler: {
  async get({url}) {
    if(!url.startsWith('did:key:')) {
      throw new Error(`only did:key is resolved here: ${url}`);
    }
    return didKeyDriver.get({url});
  }
}});
const documentLoader = loader.build();

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

function numericDate(dateTime) {
  const ms = Date.parse(dateTime);
  if(!/(Z|[+-]\d{2}:\d{2})$/.test(dateTime || '') || Number.isNaN(ms)) {
    throw new TypeError(`not a dateTime with a time zone: ${dateTime}`);
  }
  return Math.floor(ms / 1000);
}

/* A fresh Ed25519 key pair and its did:key identifiers (the method id is did:key:z6Mk…#z6Mk…). */
async function freshKey(suite) {
  const generated = await Ed25519Multikey.generate();
  const fingerprint = generated.publicKeyMultibase; // z6Mk…: multicodec ed25519-pub, base58btc
  const did = `did:key:${fingerprint}`;
  const id = `${did}#${fingerprint}`;
  const multikey = await Ed25519Multikey.from({...await generated.export({publicKey: true, secretKey: true}),
    id, controller: did});
  if(suite !== 'Ed25519Signature2020') {
    return {did, id, keyPair: multikey};
  }
  // the same key as an Ed25519VerificationKey2020 (what the 2020 suite signs with)
  const keyPair = await Ed25519VerificationKey2020.from({
    type: 'Ed25519VerificationKey2020', id, controller: did,
    publicKeyMultibase: multikey.publicKeyMultibase, privateKeyMultibase: multikey.secretKeyMultibase
  });
  return {did, id, keyPair};
}

function prepare(template, suite, did) {
  const credential = structuredClone(template);
  if(credential['@context'] === undefined) {
    credential['@context'] = DEFAULT_CONTEXTS[suite];
  }
  if(suite === 'Ed25519Signature2020') {
    const contexts = [].concat(credential['@context']);
    if(!contexts.includes(ED25519_2020)) {
      credential['@context'] = [...contexts, ED25519_2020];
    }
  }
  const issuer = credential.issuer;
  credential.issuer = issuer && typeof issuer === 'object' ? {...issuer, id: did} : did;
  return credential;
}

function ldSuite(suite, keyPair, created) {
  const date = created ? new Date(created) : undefined;
  if(suite === 'Ed25519Signature2020') {
    return {sign: new Ed25519Signature2020({key: keyPair, date}), verify: new Ed25519Signature2020()};
  }
  const cryptosuite = suite === 'eddsa-2022' ? eddsa2022 : eddsaRdfc2022;
  return {sign: new DataIntegrityProof({signer: keyPair.signer(), date, cryptosuite}),
    verify: new DataIntegrityProof({cryptosuite})};
}

async function signLd({suite, credential, created}) {
  const {did, id, keyPair} = await freshKey(suite);
  const suites = ldSuite(suite, keyPair, created);
  const signed = await vc.issue({credential: prepare(credential, suite, did), suite: suites.sign, documentLoader});
  const check = await vc.verifyCredential({credential: signed, suite: suites.verify, documentLoader});
  const errors = check.verified ? [] : [...errorMessages(check.error),
    ...(check.results || []).filter(r => !r.verified).flatMap(r => errorMessages(r.error))];
  return {did, verificationMethod: id, credential: signed,
    self_check: {verified: Boolean(check.verified), errors: [...new Set(errors)]}};
}

async function signJwt({credential}) {
  const {did, id, keyPair} = await freshKey('vc-jwt');
  const body = prepare(credential, 'vc-jwt', did);
  for(const claim of JWT_CLAIMS) {
    if(claim in body) {
      throw new TypeError(`the credential template must not carry the JWT claim "${claim}"`);
    }
  }
  const subject = [].concat(body.credentialSubject || [])[0] || {};
  const claims = {iss: did, jti: body.id, sub: subject.id, nbf: numericDate(body.validFrom)};
  if(body.validUntil !== undefined) {
    claims.exp = numericDate(body.validUntil);
  }
  for(const [name, value] of Object.entries(claims)) {
    if(value === undefined) {
      delete claims[name];
    }
  }
  // Ed25519Multikey.toJwk (1.3.1) puts the 64-byte secret key (seed + public key) into `d`, which is not a valid
  // OKP JWK (RFC 8037: `d` is the 32-byte seed): build the JWK from the raw key pair instead.
  const raw = await keyPair.export({publicKey: true, secretKey: true, raw: true});
  const publicJwk = {kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw.publicKey).toString('base64url')};
  const privateJwk = {...publicJwk, d: Buffer.from(raw.secretKey.slice(0, 32)).toString('base64url')};
  const token = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify({...body, ...claims})))
    .setProtectedHeader({alg: 'EdDSA', kid: id})
    .sign(await jose.importJWK({...privateJwk, alg: 'EdDSA'}, 'EdDSA'));
  const errors = [];
  try {
    const {payload, protectedHeader} = await jose.jwtVerify(token,
      await jose.importJWK({...publicJwk, alg: 'EdDSA'}, 'EdDSA'), {algorithms: ['EdDSA'], issuer: did});
    if(protectedHeader.kid !== id || payload.jti !== body.id) {
      errors.push('header or claims differ from what was signed');
    }
  } catch(error) {
    errors.push(...errorMessages(error));
  }
  return {did, verificationMethod: id, credential: token, self_check: {verified: errors.length === 0, errors}};
}

async function signOne(job) {
  if(!job || typeof job !== 'object' || !job.credential || typeof job.credential !== 'object') {
    throw new TypeError('a job is {"id"?, "suite", "credential": {...}, "created"?}');
  }
  if(!DEFAULT_CONTEXTS[job.suite]) {
    throw new TypeError(`unknown suite ${JSON.stringify(job.suite)} (${Object.keys(DEFAULT_CONTEXTS).join(', ')})`);
  }
  const result = job.suite === 'vc-jwt' ? await signJwt(job) : await signLd(job);
  return {id: job.id ?? null, suite: job.suite, ...result};
}

const source = process.argv[2];
const input = JSON.parse(readFileSync(!source || source === '-' ? 0 : source, 'utf8'));
const output = Array.isArray(input) ? await Promise.all(input.map(signOne)) : await signOne(input);
process.stdout.write(JSON.stringify(output) + '\n');
