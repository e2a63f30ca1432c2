/*
 * Extract the Open Badges 3.0 credential baked into a PNG or SVG (OB 3.0 §5.3 "Baking"), independently of the
 * service's own (Python) unbaker. No dependency beyond Node's standard library.
 *
 *   unbake(bytes) -> {from: 'png'|'svg', text}        throws UnbakeError on anything it does not accept
 *
 * PNG: every chunk is walked and its CRC-32 checked (IHDR first, IEND last, nothing after it). Exactly one iTXt
 *   chunk with keyword `openbadgecredential` must be present, with compression flag 0 (a compressed chunk is
 *   refused, never inflated); a tEXt/zTXt chunk with that keyword is refused too. Text = UTF-8 (fatal decoding).
 * SVG: a small XML scanner (comments, processing instructions, CDATA, start/end tags with quoted attributes,
 *   namespace scopes; a DOCTYPE is refused, so no entity can be defined). Exactly one element in the namespace
 *   https://purl.imsglobal.org/ob/v3p0 with local name `credential`, whatever its prefix. Its text = the `verify`
 *   attribute if present (VC-JWT), else its body: character data and every CDATA section concatenated (a body
 *   split into several sections around "]]>" reads back whole), entity and character references decoded, line
 *   ends normalised as XML parsers do, XML whitespace trimmed. A child element inside it is refused.
 */
import * as zlib from 'node:zlib';

export const OB3_SVG_NS = 'https://purl.imsglobal.org/ob/v3p0';
export const OB3_PNG_KEYWORD = 'openbadgecredential';
const SVG_NS = 'http://www.w3.org/2000/svg';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_TEXT_BYTES = 1024 * 1024;

export class UnbakeError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UnbakeError';
  }
}

function fail(message) {
  throw new UnbakeError(message);
}

const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
function decodeUtf8(bytes, what) {
  try {
    return utf8.decode(bytes);
  } catch {
    return fail(`${what} is not valid UTF-8`);
  }
}

// ---------------------------------------------------------------------------------------------------------- CRC-32
let crcTable;
function crc32Fallback(bytes) {
  crcTable ||= Array.from({length: 256}, (_, n) => {
    let c = n;
    for(let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for(const byte of bytes) {
    crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 exists from Node 20.15 / 22.2
export const crc32 = typeof zlib.crc32 === 'function' ? bytes => zlib.crc32(bytes) >>> 0 : crc32Fallback;
export {crc32Fallback};

// ------------------------------------------------------------------------------------------------------------- PNG
export function isPng(bytes) {
  return bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE);
}

/* Every chunk of a PNG, CRCs checked: [{type, data}]. */
export function readPngChunks(bytes) {
  if(!isPng(bytes)) {
    fail('not a PNG (bad signature)');
  }
  const chunks = [];
  let at = 8;
  while(at < bytes.length) {
    if(bytes.length - at < 12) {
      fail(`truncated chunk header at byte ${at}`);
    }
    const length = bytes.readUInt32BE(at);
    if(length > 0x7fffffff) {
      fail(`chunk length ${length} over 2^31-1 at byte ${at}`);
    }
    const typeBytes = bytes.subarray(at + 4, at + 8);
    if(!typeBytes.every(b => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) {
      fail(`invalid chunk type at byte ${at}`);
    }
    const type = typeBytes.toString('latin1');
    const end = at + 12 + length;
    if(end > bytes.length) {
      fail(`chunk ${type} at byte ${at} runs past the end of the file`);
    }
    const data = bytes.subarray(at + 8, at + 8 + length);
    const stored = bytes.readUInt32BE(at + 8 + length);
    const computed = crc32(bytes.subarray(at + 4, at + 8 + length));
    if(stored !== computed) {
      fail(`chunk ${type} at byte ${at}: CRC ${stored.toString(16)} != computed ${computed.toString(16)}`);
    }
    chunks.push({type, data, offset: at});
    at = end;
    if(type === 'IEND') {
      break;
    }
  }
  if(!chunks.length || chunks[0].type !== 'IHDR' || chunks[0].data.length !== 13) {
    fail('the first chunk is not a 13-byte IHDR');
  }
  if(chunks.at(-1).type !== 'IEND') {
    fail('no IEND chunk');
  }
  if(at !== bytes.length) {
    fail(`${bytes.length - at} byte(s) after IEND`);
  }
  return chunks;
}

function nulAt(data, from, what) {
  const index = data.indexOf(0, from);
  if(index < 0) {
    fail(`${what}: missing NUL separator`);
  }
  return index;
}

export function unbakePng(bytes) {
  const found = [];
  for(const chunk of readPngChunks(bytes)) {
    if(!['iTXt', 'tEXt', 'zTXt'].includes(chunk.type)) {
      continue;
    }
    const {data, type} = chunk;
    const keywordEnd = data.indexOf(0);
    const keyword = data.subarray(0, keywordEnd < 0 ? data.length : keywordEnd).toString('latin1');
    if(keyword !== OB3_PNG_KEYWORD) {
      continue;
    }
    if(type !== 'iTXt') {
      fail(`an OB 3.0 credential must be in an iTXt chunk, found ${type} "${keyword}"`);
    }
    const what = `iTXt "${keyword}" at byte ${chunk.offset}`;
    if(keywordEnd < 0 || data.length < keywordEnd + 3) {
      fail(`${what}: truncated`);
    }
    const compressionFlag = data[keywordEnd + 1];
    const compressionMethod = data[keywordEnd + 2];
    if(compressionFlag !== 0) {
      fail(`${what}: compression flag ${compressionFlag} (only uncompressed text is accepted)`);
    }
    if(compressionMethod !== 0) {
      fail(`${what}: compression method ${compressionMethod} != 0`);
    }
    const languageEnd = nulAt(data, keywordEnd + 3, `${what} language tag`);
    const translatedEnd = nulAt(data, languageEnd + 1, `${what} translated keyword`);
    decodeUtf8(data.subarray(languageEnd + 1, translatedEnd), `${what} translated keyword`);
    const raw = data.subarray(translatedEnd + 1);
    if(raw.length > MAX_TEXT_BYTES) {
      fail(`${what}: text over 1 MiB`);
    }
    found.push(decodeUtf8(raw, `${what} text`));
  }
  if(found.length === 0) {
    fail(`no iTXt "${OB3_PNG_KEYWORD}" chunk in this PNG`);
  }
  if(found.length > 1) {
    fail(`${found.length} iTXt "${OB3_PNG_KEYWORD}" chunks in this PNG (exactly one expected)`);
  }
  if(!found[0]) {
    fail(`empty iTXt "${OB3_PNG_KEYWORD}" chunk`);
  }
  return found[0];
}

// ------------------------------------------------------------------------------------------------------------- SVG
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?$/u;
const XML_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const PREDEFINED = {lt: '<', gt: '>', amp: '&', quot: '"', apos: '\''};

function decodeReferences(text, where) {
  return text.replace(/&([^;&]*);?/g, (match, body) => {
    if(!match.endsWith(';')) {
      fail(`${where}: bare "&"`);
    }
    if(Object.hasOwn(PREDEFINED, body)) {
      return PREDEFINED[body];
    }
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if(!numeric) {
      fail(`${where}: undefined entity &${body};`);
    }
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number.parseInt(numeric[2], 10);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if(!allowed) {
      fail(`${where}: character reference &${body}; is not an XML character`);
    }
    return String.fromCodePoint(code);
  });
}

/* The attributes of a start tag's inside (after the name): [[qname, value]], values normalised and decoded. */
function parseAttributes(source, where) {
  const attributes = [];
  const seen = new Set();
  const pattern = /\s+([^\s=/>"']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
  let at = 0;
  while(at < source.length) {
    if(/^\s*$/.test(source.slice(at))) {
      break;
    }
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if(!match) {
      fail(`${where}: malformed attributes near ${JSON.stringify(source.slice(at, at + 40))}`);
    }
    const [, name, double, single] = match;
    if(!NAME.test(name)) {
      fail(`${where}: invalid attribute name ${name}`);
    }
    if(seen.has(name)) {
      fail(`${where}: duplicate attribute ${name}`);
    }
    seen.add(name);
    // attribute-value normalisation: literal whitespace becomes a space, references are decoded afterwards
    const value = decodeReferences((double ?? single).replace(/[\t\n\r]/g, ' '), `${where} @${name}`);
    attributes.push([name, value]);
    at = pattern.lastIndex;
  }
  return attributes;
}

/* Index of the `>` closing the tag that starts at `from` (`<`), quotes respected. */
function tagEnd(text, from) {
  let quote = null;
  for(let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if(quote) {
      if(c === quote) {
        quote = null;
      }
    } else if(c === '"' || c === '\'') {
      quote = c;
    } else if(c === '>') {
      return i;
    } else if(c === '<') {
      break;
    }
  }
  return fail(`unterminated tag at offset ${from}`);
}

function splitName(qname) {
  const colon = qname.indexOf(':');
  return colon < 0 ? [null, qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

export function unbakeSvg(bytes) {
  let text = decodeUtf8(bytes, 'the SVG');
  if(text.startsWith('\uFEFF')) {
    text = text.slice(1);
  }
  // end-of-line handling (XML 1.0 §2.11), as every XML parser does before anything else
  text = text.replace(/\r\n?/g, '\n');
  const stack = []; // {qname, ns: Map(prefix -> uri)}
  const badges = [];
  let badge = null; // {depth, parts: [], verify}
  let root = null;
  let at = 0;
  const lookup = prefix => {
    for(let i = stack.length - 1; i >= 0; i--) {
      if(stack[i].ns.has(prefix)) {
        return stack[i].ns.get(prefix);
      }
    }
    return prefix === 'xml' ? XML_NS : prefix === null ? '' : undefined;
  };
  const characters = (chunk, offset) => {
    if(badge && stack.length === badge.depth) {
      badge.parts.push(decodeReferences(chunk, `badge body at offset ${offset}`));
    } else if(!stack.length && chunk.trim()) {
      fail(`text outside the root element at offset ${offset}`);
    }
  };
  while(at < text.length) {
    const lt = text.indexOf('<', at);
    if(lt < 0) {
      characters(text.slice(at), at);
      break;
    }
    if(lt > at) {
      characters(text.slice(at, lt), at);
    }
    if(text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if(end < 0) {
        fail(`unterminated comment at offset ${lt}`);
      }
      at = end + 3;
    } else if(text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if(end < 0) {
        fail(`unterminated CDATA section at offset ${lt}`);
      }
      if(!stack.length) {
        fail(`CDATA outside the root element at offset ${lt}`);
      }
      if(badge && stack.length === badge.depth) {
        badge.parts.push(text.slice(lt + 9, end));
      }
      at = end + 3;
    } else if(text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if(end < 0) {
        fail(`unterminated processing instruction at offset ${lt}`);
      }
      at = end + 2;
    } else if(text.startsWith('<!', lt)) {
      fail(`${text.startsWith('<!DOCTYPE', lt) ? 'a DOCTYPE' : 'a markup declaration'} at offset ${lt} ` +
        '(not accepted: it could define entities)');
    } else if(text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt);
      if(end < 0) {
        fail(`unterminated end tag at offset ${lt}`);
      }
      const qname = text.slice(lt + 2, end).trimEnd();
      const open = stack.pop();
      if(!open || open.qname !== qname) {
        fail(`end tag </${qname}> at offset ${lt} does not close <${open?.qname}>`);
      }
      if(badge && stack.length === badge.depth - 1) {
        badge = null;
      }
      at = end + 1;
    } else {
      const end = tagEnd(text, lt);
      const selfClosing = text[end - 1] === '/';
      const inside = text.slice(lt + 1, selfClosing ? end - 1 : end);
      const qname = /^[^\s/>]+/.exec(inside)?.[0];
      if(!qname || !NAME.test(qname)) {
        fail(`invalid element name at offset ${lt}`);
      }
      if(root && !stack.length) {
        fail(`a second root element <${qname}> at offset ${lt}`);
      }
      const where = `<${qname}> at offset ${lt}`;
      const attributes = parseAttributes(inside.slice(qname.length), where);
      const ns = new Map();
      for(const [name, value] of attributes) {
        if(name === 'xmlns') {
          ns.set(null, value);
        } else if(name.startsWith('xmlns:')) {
          if(!value) {
            fail(`${where}: empty namespace for prefix ${name.slice(6)}`);
          }
          ns.set(name.slice(6), value);
        }
      }
      stack.push({qname, ns});
      const [prefix, local] = splitName(qname);
      const uri = lookup(prefix);
      if(uri === undefined) {
        fail(`${where}: undeclared prefix ${prefix}`);
      }
      for(const [name] of attributes) {
        const [attributePrefix] = splitName(name);
        if(attributePrefix && attributePrefix !== 'xmlns' && lookup(attributePrefix) === undefined) {
          fail(`${where}: undeclared attribute prefix ${attributePrefix}`);
        }
      }
      if(!root) {
        root = {uri, local};
        if(uri !== SVG_NS || local !== 'svg') {
          fail(`the root element is {${uri}}${local}, not an SVG <svg>`);
        }
      }
      if(badge) {
        fail(`${where}: an element inside the badge element`);
      }
      if(uri === OB3_SVG_NS && local === 'credential') {
        const verify = attributes.find(([name]) => name === 'verify')?.[1];
        badge = {depth: stack.length, parts: [], verify};
        badges.push(badge);
      }
      if(selfClosing) {
        stack.pop();
        if(badge && stack.length === badge.depth - 1) {
          badge = null;
        }
      }
      at = end + 1;
    }
  }
  if(stack.length) {
    fail(`unclosed element <${stack.at(-1).qname}>`);
  }
  if(!root) {
    fail('no root element');
  }
  if(badges.length === 0) {
    fail(`no {${OB3_SVG_NS}}credential element in this SVG`);
  }
  if(badges.length > 1) {
    fail(`${badges.length} {${OB3_SVG_NS}}credential elements in this SVG (exactly one expected)`);
  }
  const [found] = badges;
  const verify = (found.verify ?? '').replace(XML_SPACE, '');
  const body = found.parts.join('').replace(XML_SPACE, '');
  const result = verify || body;
  if(!result) {
    fail('the badge element has neither a verify attribute nor a body');
  }
  if(Buffer.byteLength(result, 'utf8') > MAX_TEXT_BYTES) {
    fail('the badge text is over 1 MiB');
  }
  return result;
}

// ------------------------------------------------------------------------------------------------------- any image
export function unbake(bytes) {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  if(isPng(buffer)) {
    return {from: 'png', text: unbakePng(buffer)};
  }
  const head = buffer.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if(head.startsWith('<')) {
    return {from: 'svg', text: unbakeSvg(buffer)};
  }
  return fail('neither a PNG nor an SVG');
}
