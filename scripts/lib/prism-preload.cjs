// Loaded into every Prism this project starts (`node --require`), before Prism itself.

// 1. Prism runs in a process group of its own, so a Ctrl-C meant for its parent does not reach
//    it; the parent stops it. Should the parent die without doing so (killed outright), Prism
//    would live on with no one to stop it: it leaves when its parent is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

// 2. Prism writes violation messages into its `sl-violations` header as they are, and a
//    character no HTTP header may carry (the name of an unknown field such as "監査", say)
//    makes Node throw there and the whole mock exit (stoplightio/prism#1934). The header is
//    JSON, so \u escapes keep its meaning.
const http = require('node:http');
const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function (name, value) {
  if (typeof value === 'string' && String(name).toLowerCase() === 'sl-violations') {
    value = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return setHeader.call(this, name, value);
};
