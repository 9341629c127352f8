// AWS Signature Version 4 in the browser (WebCrypto: SHA-256, HMAC-SHA256), for the JSON
// protocol's POST to the server's root. The secret never leaves this page: only the signature
// is sent. Checked against the server's verifier (Sources/SigV4) by the console's browser test.

const encoder = new TextEncoder();

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key, text) {
  const raw = typeof key === 'string' ? encoder.encode(key) : key;
  const imported = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, encoder.encode(text));
}

/** `20261201T101500Z` and `20261201` for a Date. */
export function amzDate(date) {
  const iso = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { stamp: iso, day: iso.slice(0, 8) };
}

/**
 * The headers to add to a request: X-Amz-Date, X-Amz-Security-Token (with a session token) and
 * Authorization. `headers` are the ones the request sends besides Host (all are signed); `host`
 * is what the browser sends as Host (location.host).
 */
export async function sign({ method, host, path, headers, body, credentials, region, service = 'sqs', now = new Date() }) {
  const { stamp, day } = amzDate(now);
  const all = { ...lowerCased(headers), host, 'x-amz-date': stamp };
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((name) => `${name}:${String(all[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [method, path, '', canonicalHeaders, signedHeaders, await sha256Hex(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256Hex(canonicalRequest)].join('\n');
  let key = await hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));
  const added = {
    'X-Amz-Date': stamp,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
  if (credentials.sessionToken) added['X-Amz-Security-Token'] = credentials.sessionToken;
  return added;
}

function lowerCased(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
