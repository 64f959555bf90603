'use strict';
// Preloaded with `node --require ./redirect.cjs`: sends the remove.bg client's requests to a local
// Cutout server instead of https://api.remove.bg, without changing a byte of the client.
//
// The client (remove.bg@1.3.0, dist/index.js) has its endpoint as a constant,
// "https://api.remove.bg/v1.0/removebg", and posts through unirest 0.6, which goes to Node's
// https.request in both of its paths: JSON bodies through the `request` package
// (self.httpModule.request) and multipart bodies through form-data's submit(). Both look the
// function up on the https module when they call it, so replacing https.request here redirects
// them: a call for host api.remove.bg becomes an http.request to 127.0.0.1:$CUTOUT_PORT with the
// same method, path, headers and body (TLS options and the https agent are dropped). A call for any
// other host is refused, so the test can never reach the real service or anything else.
//
// Every answer is also recorded (status, headers, body) in `exchanges`, because the client keeps
// only part of it: its result has no foreground fields, which the test checks on the wire.

const http = require('node:http');
const https = require('node:https');

const REMOTE_HOST = 'api.remove.bg';
const port = Number(process.env.CUTOUT_PORT);
if (!Number.isInteger(port) || port <= 0) {
  throw new Error('redirect.cjs: set CUTOUT_PORT to the local Cutout server port');
}

/** Every exchange with the local server: { method, path, status, headers, body (Buffer) }. */
const exchanges = [];

const httpRequest = http.request;

function redirected(options, callback) {
  const host = String(options.hostname || options.host || '').replace(/:\d+$/, '');
  if (host !== REMOTE_HOST) {
    throw new Error(
      `redirect.cjs: refused a request to ${host}; only ${REMOTE_HOST} is redirected`,
    );
  }
  const local = {
    method: options.method || 'GET',
    path: options.path || '/',
    headers: options.headers,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
  };
  const request = httpRequest(local, callback);
  request.on('response', (response) => {
    // listening here, before the client's own handlers in the same 'response' event, sees every
    // chunk: the stream starts flowing only on the next tick
    const chunks = [];
    response.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
    response.on('end', () =>
      exchanges.push({
        method: local.method,
        path: local.path,
        status: response.statusCode,
        headers: response.headers,
        body: Buffer.concat(chunks),
      }),
    );
  });
  return request;
}

https.request = function request(input, options, callback) {
  // request(options[, callback]) or request(url[, options][, callback])
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof input === 'string' || input instanceof URL) {
    const url = new URL(input);
    options = { hostname: url.hostname, path: url.pathname + url.search, ...options };
  } else {
    options = { ...input, ...options };
  }
  return redirected(options, callback);
};

https.get = function get(...args) {
  const request = https.request(...args);
  request.end();
  return request;
};

// Nothing leaves this machine over plain HTTP either, but the redirected calls themselves.
http.request = function request(input, ...rest) {
  const target = typeof input === 'string' || input instanceof URL ? new URL(input) : input;
  const host = String(target.hostname || target.host || '').replace(/:\d+$/, '');
  if (host !== '127.0.0.1') {
    throw new Error(`redirect.cjs: refused a plain HTTP request to ${host}`);
  }
  return httpRequest(input, ...rest);
};

module.exports = { exchanges };
