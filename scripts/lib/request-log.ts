/**
 * Turns Prism's `info` log (half a dozen lines per request) into one line per request,
 * plus one line per contract violation:
 *
 *   GET /v1/cluster/auditing/db_conns -> 200
 *   PUT /v1/cluster/auditing/db_conns -> 400
 *     violation: request.body Request body must NOT be valid
 */
const TIMESTAMP = /^\[[^\]]*\] › /;
const RECEIVED = /\[HTTP SERVER\] (\w+) (\S+) .*Request received/;
const RESPONDING = /> Responding with "(\d{3})"/;
const VIOLATION = /Violation: (.*)$/;
const FAILURE = /✖\s+(?:error|fatal)\s+(.*)$/;

export function requestLogFilter(print: (line: string) => void): (line: string) => void {
  let request = '';
  return (raw) => {
    const line = raw.replace(TIMESTAMP, '');
    let match: RegExpMatchArray | null;
    if ((match = line.match(RECEIVED))) request = `${match[1]!.toUpperCase()} ${match[2]}`;
    else if ((match = line.match(RESPONDING))) print(`${request} -> ${match[1]}`);
    else if ((match = line.match(VIOLATION))) print(`  violation: ${match[1]}`);
    else if (line.includes('[CLI]') && (match = line.match(FAILURE))) print(`prism: ${match[1]}`);
  };
}
