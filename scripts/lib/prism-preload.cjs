// Loaded into every Prism this project starts (`node --require`), before Prism itself.

// 1. The process that started Prism stops it. Should that parent die without doing so (killed
//    outright), Prism would live on with no one to stop it: it leaves when its parent is gone.
//    The same holds for the HTTP server Prism forks with --multiprocess, whose parent is Prism.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

// 2. Prism writes violation messages into its `sl-violations` header as they are, and a
//    character no HTTP header may carry (the name of an unknown field such as "監査", say)
//    makes Node throw there and the whole mock exit (stoplightio/prism#1934). The header is
//    JSON, so \u escapes keep its meaning.
const http = require('node:http');
const { violationsInHeader } = require('./prism-violations.cjs');
// Marks the lines of the request log (3.) among whatever else Prism prints.
const REQUEST_LOG_PREFIX = 'request-log: ';
const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function (name, value) {
  if (typeof value === 'string' && String(name).toLowerCase() === 'sl-violations') {
    value = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return setHeader.call(this, name, value);
};

// 3. With PRISM_REQUEST_LOG=1 (npm run mock), one line per request and one per violation, as
//    each response finishes. Prism's own `info` log says the same in six lines per request and
//    costs it about 40% of its time; this lets it run at `warn`.
if (process.env.PRISM_REQUEST_LOG === '1') {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    const [request, response] = args;
    // The readiness probe of scripts/lib/prism.ts is not a request of the user's.
    if (event === 'request' && !request.headers['x-readiness-probe']) {
      // 'close' comes for every response, also one whose caller went away before it finished.
      response.once('close', () => {
        let lines = `${REQUEST_LOG_PREFIX}${request.method} ${request.url} -> ${response.statusCode}\n`;
        for (const violation of violationsOf(response)) lines += `${REQUEST_LOG_PREFIX}  violation: ${violation}\n`;
        process.stdout.write(lines);
      });
    }
    return emit.call(this, event, ...args);
  };
}

function violationsOf(response) {
  const header = response.getHeader('sl-violations');
  if (typeof header !== 'string') return [];
  return violationsInHeader(header).map((violation) => `${violation.where} ${violation.what}`);
}

// 4. With MOCK_STATE=1 (npm run mock without --stateless), the mock keeps one configuration
//    and answers as a cluster would: see mock-state.cjs.
if (process.env.MOCK_STATE === '1') require('./mock-state.cjs').install();
