// Prism's own form of a violation, read in one place: Prism writes
// `{ location, severity, code, message }` into its `sl-violations` header (a JSON list) and into
// the `validation` list of its problem+json bodies. The request log (prism-preload.cjs) and
// verify's front door (checking-proxy.ts) both read them here. CommonJS, without TypeScript,
// because it also runs inside Prism's process (see prism-violations.d.cts for its types).
'use strict';

/**
 * One violation as Prism reports it; `location` starts with `request` or `response` in the
 * header, and leaves that out in problem+json bodies about the request.
 */
function toViolation(item, side) {
  const location = Array.isArray(item?.location) ? item.location.map(String) : [];
  const where = location[0] === 'request' || location[0] === 'response' ? location : [side, ...location];
  return {
    where: where.join('.'),
    what: typeof item?.message === 'string' ? item.message : 'breaks the contract',
    severity: item?.severity === 'Warning' ? 'warning' : 'error',
  };
}

/**
 * The violations in an `sl-violations` header. Prism cuts a header longer than about 8 KB and
 * says so in front ("Too many violations! ..."): that comes back as one violation, as it is.
 */
function violationsInHeader(header, side = 'response') {
  let parsed;
  try {
    parsed = JSON.parse(header);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) return [{ where: side, what: header, severity: 'error' }];
  return parsed.map((item) => toViolation(item, side));
}

module.exports = { toViolation, violationsInHeader };
