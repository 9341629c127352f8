// The SQS API as the console calls it: the JSON protocol (X-Amz-Target: AmazonSQS.<Op>) to the
// server's root, exactly what an SDK sends, signed when the session has a key. Nothing here
// talks to the server any other way: the console can do only what the caller may.
import { sign } from './sigv4.js';

export class SQSError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** Errors that mean "this session may not call": the page asks for (other) credentials. */
export const AUTH_ERRORS = new Set([
  'MissingAuthenticationToken', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature',
  'ExpiredToken', 'UnrecognizedClientException', 'AccessDenied', 'AccessDeniedException',
]);

export class Api {
  constructor(session) {
    this.session = session;
    /** Calls made, by operation: what a page costs the server (the console's test reads it). */
    this.calls = new Map();
    this.total = 0;
  }

  async call(operation, input = {}) {
    const body = JSON.stringify(input);
    const headers = {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${operation}`,
    };
    const key = this.session.signingKey();
    if (key) {
      Object.assign(headers, await sign({
        method: 'POST', host: location.host, path: '/', headers, body,
        credentials: key, region: this.session.signingRegion(),
      }));
    }
    this.total += 1;
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const response = await fetch('/', { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' });
    const text = await response.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { json = { message: text }; }
    if (!response.ok) {
      // `__type` is `com.amazonaws.sqs#QueueDoesNotExist` or a bare code.
      const code = String(json.__type ?? `HTTP${response.status}`).split('#').pop();
      throw new SQSError(code, json.message ?? json.Message ?? text, response.status);
    }
    return json;
  }

  /** Every page of a paginated list operation, up to `limit` items. */
  async all(operation, input, member, limit = 1000) {
    const items = [];
    let token;
    do {
      const page = await this.call(operation, { ...input, ...(token ? { NextToken: token } : {}) });
      items.push(...(page[member] ?? []));
      token = page.NextToken;
    } while (token && items.length < limit);
    return items;
  }
}

/** The queue's name, the last segment of its URL. */
export function queueName(url) {
  return decodeURIComponent(url.split('/').pop());
}
